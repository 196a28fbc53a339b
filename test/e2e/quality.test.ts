import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import type { RequestRecord } from '../../src/stores/contracts.ts';
import { startStack, type Stack } from '../support/start-stack.ts';

/**
 * Quality signals end to end (docs/quality.md): a route that validates its JSON output, answered by a
 * simulator that breaks it on demand; each request's score and signals land in the request log, and
 * the daily roll-up follows them and the user's feedback.
 */
let stack: Stack;
let database: DatabaseSync;

before(async () => {
  stack = await startStack({
    extraYaml: `  extract: { outputValidation: { maxReasks: 1 }, targets: [{ provider: sim-openai, model: gpt-extract }] }
  guarded: { outputValidation: { prohibitedPatterns: ["forbidden"] }, targets: [{ provider: sim-openai, model: gpt-guarded }] }
  unvalidated: { outputValidation: { enabled: false }, targets: [{ provider: sim-openai, model: gpt-unvalidated }] }
  softened: { degradation: { enabled: true }, targets: [{ provider: dead, model: gpt-down }] }`,
    topLevelYaml: 'reliability: { retry: { maxAttempts: 1 } }',
  });
  const sqlitePath = /sqlitePath: (\S+) \}/.exec(stack.configYaml)?.[1];
  assert.ok(sqlitePath);
  database = new DatabaseSync(sqlitePath, { readOnly: true });
});
after(async () => {
  database?.close();
  await stack?.close();
});

const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
const extraction = { model: 'extract', response_format: { type: 'json_schema', json_schema: { name: 'person', schema } }, messages: [{ role: 'user', content: 'Extract the name.' }] };

/** Sends a chat request (reading a stream to its end); returns the status and request id. */
const chat = async (body: Record<string, unknown>): Promise<{ status: number; requestId: string }> => {
  const response = await fetch(`${stack.bulwark.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  const requestId = response.headers.get('x-request-id');
  assert.ok(requestId);
  return { status: response.status, requestId };
};

/** The record as the store reads it back, and the two raw columns as SQLite holds them. */
const logged = async (requestId: string): Promise<{ record: RequestRecord; columns: Record<string, unknown> }> => {
  await stack.bulwark.flushRequestLog();
  const record = (await stack.bulwark.requestLog.query({ limit: 1_000 })).find((candidate) => candidate.requestId === requestId);
  assert.ok(record, `no record for ${requestId}`);
  const columns = { ...database.prepare('SELECT quality_score, quality_signals FROM requests WHERE request_id = ?').get(requestId) };
  return { record, columns };
};

const withFaults = async <T>(rules: Parameters<Stack['simulator']['faults']['set']>[0], run: () => Promise<T>): Promise<T> => {
  stack.simulator.faults.set(rules);
  try {
    return await run();
  } finally {
    stack.simulator.faults.clear();
  }
};

describe('quality signals in the request log', () => {
  test('valid output the first time: validation passed, score 1', async () => {
    const { status, requestId } = await chat(extraction);
    assert.equal(status, 200);
    const { record, columns } = await logged(requestId);
    assert.deepEqual(record.qualitySignals, { validation: 'passed' });
    assert.equal(record.qualityScore, 1);
    assert.deepEqual(columns, { quality_score: 1, quality_signals: '{"validation":"passed"}' });
  });

  test('invalid JSON, then a valid re-ask: validation reasked, score 0.5', async () => {
    const { status, requestId } = await withFaults([{ fault: 'invalid-json', model: 'gpt-extract', count: 1 }], () => chat(extraction));
    assert.equal(status, 200);
    const { record, columns } = await logged(requestId);
    assert.equal(record.attempts, 1, 'a re-ask is part of the attempt');
    assert.deepEqual(columns, { quality_score: 0.5, quality_signals: '{"validation":"reasked"}' });
  });

  test('invalid JSON on every ask: the request fails with upstream_invalid_output, validation failed, score 0', async () => {
    const { status, requestId } = await withFaults([{ fault: 'invalid-json', model: 'gpt-extract' }], () => chat(extraction));
    assert.equal(status, 502);
    const { record, columns } = await logged(requestId);
    assert.equal(record.errorCode, 'upstream_invalid_output');
    assert.deepEqual(columns, { quality_score: 0, quality_signals: '{"validation":"failed"}' });
  });

  test('a streamed answer that fails validation at its end (empty) is recorded as failed, though the stream was a 200', async () => {
    const { status, requestId } = await withFaults([{ fault: 'empty-content', model: 'gpt-extract' }], () => chat({ ...extraction, stream: true }));
    assert.equal(status, 200);
    const { record, columns } = await logged(requestId);
    assert.equal(record.status, 200);
    assert.equal(record.errorCode, undefined);
    assert.deepEqual(columns, { quality_score: 0, quality_signals: '{"validation":"failed"}' });
  });

  test('a valid streamed answer passes', async () => {
    const { requestId } = await chat({ ...extraction, stream: true });
    assert.deepEqual((await logged(requestId)).columns, { quality_score: 1, quality_signals: '{"validation":"passed"}' });
  });

  test('a streamed answer withdrawn for prohibited content is an upstream_invalid_output, score 0', async () => {
    const { requestId } = await chat({ model: 'guarded', stream: true, messages: [{ role: 'user', content: '[[sim:reply this is forbidden]]' }] });
    const { record, columns } = await logged(requestId);
    assert.equal(record.errorCode, 'upstream_invalid_output');
    assert.deepEqual(columns, { quality_score: 0, quality_signals: '{"validation":"failed"}' });
  });

  test('a route without validation records no verdict; its answers still score 1', async () => {
    const { requestId } = await chat({ model: 'unvalidated', messages: [{ role: 'user', content: 'hi' }] });
    assert.deepEqual((await logged(requestId)).columns, { quality_score: 1, quality_signals: null });
  });

  test('a degraded answer is flagged and scores 0', async () => {
    const { status, requestId } = await chat({ model: 'softened', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(status, 200);
    assert.deepEqual((await logged(requestId)).columns, { quality_score: 0, quality_signals: '{"flags":["degraded"]}' });
  });

  test('requests that say nothing about quality have no score: an unknown model, embeddings', async () => {
    const unknown = await chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(unknown.status, 404);
    assert.deepEqual((await logged(unknown.requestId)).columns, { quality_score: null, quality_signals: null });
    const response = await fetch(`${stack.bulwark.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'embedding', input: 'hello' }),
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    const embeddingId = response.headers.get('x-request-id');
    assert.ok(embeddingId);
    assert.deepEqual((await logged(embeddingId)).columns, { quality_score: null, quality_signals: null });
  });
});

const readRoute = (route: string) => ({
  ...database.prepare('SELECT sum(score_sum) AS score_sum, sum(scored) AS scored, sum(feedback_count) AS feedback FROM route_quality_daily WHERE route = ?').get(route),
});

describe('the route roll-up', () => {
  test('follows the automatic scores, and the user\'s feedback replaces a request\'s score', async () => {
    const first = await chat({ model: 'unvalidated', messages: [{ role: 'user', content: 'rate me' }] });
    await stack.bulwark.flushRequestLog();
    const beforeFeedback = readRoute('unvalidated');
    const feedback = await fetch(`${stack.bulwark.url}/v1/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: first.requestId, score: 0.25 }),
    });
    assert.equal(feedback.status, 201);
    const afterFeedback = readRoute('unvalidated');
    assert.equal(afterFeedback.scored, beforeFeedback.scored, 'the request still counts once');
    assert.equal(Math.round(((afterFeedback.score_sum as number) - (beforeFeedback.score_sum as number)) * 1e9) / 1e9, -0.75);
    assert.equal((afterFeedback.feedback as number) - (beforeFeedback.feedback as number), 1);
  });
});
