import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/stores/sqlite/open-database.ts';
import { SqliteFeedbackStore } from '../../src/stores/sqlite/sqlite-feedback-store.ts';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
let otherKey: string;

before(async () => {
  stack = await startStack();
  ({ secret: otherKey } = await stack.bulwark.keys.create({ name: 'other', models: ['*'] }));
});
after(() => stack.close());

/** Makes one chat request with `key` and returns its request id, once it is in the request log. */
const chat = async (key: string): Promise<string> => {
  const response = await fetch(`${stack.bulwark.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(response.status, 200);
  await stack.bulwark.flushRequestLog();
  const requestId = response.headers.get('x-request-id');
  assert.ok(requestId);
  return requestId;
};

const sendFeedback = (body: unknown, { key = stack.key, raw = false } = {}) =>
  fetch(`${stack.bulwark.url}/v1/feedback`, {
    method: 'POST',
    headers: { ...(key === '' ? {} : { authorization: `Bearer ${key}` }), 'content-type': 'application/json' },
    body: raw ? String(body) : JSON.stringify(body),
  });

interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

const expectError = async (response: Response, status: number, code: string): Promise<ErrorBody> => {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.code, code);
  assert.ok(response.headers.get('x-request-id'));
  return body;
};

describe('POST /v1/feedback', () => {
  test('records a score and comment on the caller\'s own request', async () => {
    const requestId = await chat(stack.key);
    const response = await sendFeedback({ request_id: requestId, score: 0.8, comment: 'clear answer' });
    assert.equal(response.status, 201);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.request_id, requestId);
    assert.equal(body.score, 0.8);
    assert.equal(body.comment, 'clear answer');
    assert.ok(!Number.isNaN(Date.parse(String(body.created_at))));
    const keys = await stack.bulwark.keys.list();
    const stored = await feedbackFor(requestId);
    assert.deepEqual(stored.map(({ score, comment, keyId }) => ({ score, comment, keyId })), [
      { score: 0.8, comment: 'clear answer', keyId: keys.find((key) => key.name === 'e2e')?.id },
    ]);
  });

  // The stack flushes every 50 ms, so this passes on a fast machine even without the flush-on-miss in
  // start-bulwark; it guards the user-visible promise, not the mechanism.
  test('feedback sent right after the request, without waiting for the log, is accepted', async () => {
    const response = await fetch(`${stack.bulwark.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.arrayBuffer();
    const feedback = await sendFeedback({ request_id: response.headers.get('x-request-id'), score: 1 });
    assert.equal(feedback.status, 201);
  });

  test('a second feedback on the same request replaces the first', async () => {
    const requestId = await chat(stack.key);
    assert.equal((await sendFeedback({ request_id: requestId, score: 0.2, comment: 'first' })).status, 201);
    const second = await sendFeedback({ request_id: requestId, score: 1 });
    assert.equal(second.status, 201);
    assert.deepEqual(((await second.json()) as Record<string, unknown>).comment, null);
    const stored = await feedbackFor(requestId);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.score, 1);
    assert.equal(stored[0]?.comment, undefined);
  });

  test('404 for an unknown request id', async () => {
    const body = await expectError(await sendFeedback({ request_id: 'req_does_not_exist', score: 0.5 }), 404, 'not_found');
    assert.equal(body.error.param, 'request_id');
  });

  test('404 for another key\'s request, and nothing is stored', async () => {
    const requestId = await chat(otherKey);
    await expectError(await sendFeedback({ request_id: requestId, score: 0.5, comment: 'not mine' }), 404, 'not_found');
    assert.deepEqual(await feedbackFor(requestId), []);
    assert.equal((await sendFeedback({ request_id: requestId, score: 0.5 }, { key: otherKey })).status, 201);
  });

  test('401 without a key or with an unknown key', async () => {
    const requestId = await chat(stack.key);
    await expectError(await sendFeedback({ request_id: requestId, score: 0.5 }, { key: '' }), 401, 'missing_api_key');
    await expectError(await sendFeedback({ request_id: requestId, score: 0.5 }, { key: 'bk_not_a_key' }), 401, 'invalid_api_key');
    // Authentication comes first: a malformed body from an anonymous caller is still a 401.
    await expectError(await sendFeedback('{', { key: '', raw: true }), 401, 'missing_api_key');
  });

  test('malformed bodies are 400 invalid_request naming the field', async () => {
    const requestId = await chat(stack.key);
    const cases: [body: unknown, param: string][] = [
      [{ score: 0.5 }, 'request_id'],
      [{ request_id: '', score: 0.5 }, 'request_id'],
      [{ request_id: 'r'.repeat(129), score: 0.5 }, 'request_id'],
      [{ request_id: 42, score: 0.5 }, 'request_id'],
      [{ request_id: requestId }, 'score'],
      [{ request_id: requestId, score: 1.5 }, 'score'],
      [{ request_id: requestId, score: -0.1 }, 'score'],
      [{ request_id: requestId, score: '0.5' }, 'score'],
      [{ request_id: requestId, score: null }, 'score'],
      [{ request_id: requestId, score: 0.5, comment: 7 }, 'comment'],
      [{ request_id: requestId, score: 0.5, comment: 'x'.repeat(2_001) }, 'comment'],
      [{ request_id: requestId, score: 0.5, rating: 5 }, ''],
    ];
    for (const [body, param] of cases) {
      const error = await expectError(await sendFeedback(body), 400, 'invalid_request');
      if (param !== '') assert.equal(error.error.param, param, JSON.stringify(body).slice(0, 80));
      assert.ok(!error.error.message.includes('xxxxxxxx'), 'the comment is never echoed');
    }
    await expectError(await sendFeedback([1, 2]), 400, 'invalid_request');
    await expectError(await sendFeedback('not json', { raw: true }), 400, 'invalid_json');
    assert.deepEqual(await feedbackFor(requestId), []);
  });

  test('a comment of exactly 2,000 characters is kept whole', async () => {
    const requestId = await chat(stack.key);
    assert.equal((await sendFeedback({ request_id: requestId, score: 0, comment: 'é'.repeat(2_000) })).status, 201);
    assert.equal((await feedbackFor(requestId))[0]?.comment, 'é'.repeat(2_000));
  });
});

/** Reads the stored feedback straight from the database file, as the dashboard would. */
const feedbackFor = async (requestId: string) => {
  const path = /sqlitePath: (\S+)/.exec(stack.configYaml)?.[1];
  assert.ok(path);
  const database = openDatabase(path);
  try {
    return await new SqliteFeedbackStore(database).forRequest(requestId);
  } finally {
    database.close();
  }
};
