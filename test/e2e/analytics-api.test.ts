import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { RequestRecord } from '../../src/stores/contracts.ts';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
let records: RequestRecord[];

/** Nearest rank, computed here from the log's own rows: the value at 1-based position ceil(p/100 × n). */
const nearestRank = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  return values.toSorted((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1] ?? null;
};

interface SummaryRow {
  group: string | null;
  requests: number;
  errors: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
  p95TimeToFirstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

const admin = async <Body>(path: string): Promise<Body> => {
  const response = await fetch(`${stack.bulwark.url}${path}`, { headers: { authorization: `Bearer ${stack.adminToken}` } });
  assert.equal(response.status, 200, path);
  return (await response.json()) as Body;
};

before(async () => {
  stack = await startStack({ simulator: { latency: { ttftMs: 3, tokensPerSecond: 20_000, jitterMs: 2 } } });
  const openai = new OpenAI({ apiKey: stack.key, baseURL: `${stack.bulwark.url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: stack.key, baseURL: stack.bulwark.url, maxRetries: 0 });
  const calls: Promise<unknown>[] = [];
  for (let index = 0; index < 60; index += 1) {
    const user = `user-${index % 3}`;
    if (index % 3 === 0) {
      calls.push(openai.chat.completions.create({ model: 'gpt', user, messages: [{ role: 'user', content: `question ${index}` }] }));
    } else if (index % 3 === 1) {
      calls.push((async () => {
        const stream = await openai.chat.completions.create({ model: 'gemini', user, stream: true, messages: [{ role: 'user', content: `stream ${index}` }] });
        let chunks = 0;
        for await (const chunk of stream) if (chunk.object === 'chat.completion.chunk') chunks += 1;
        assert.ok(chunks > 0);
      })());
    } else {
      calls.push(anthropic.messages.create({ model: 'claude', max_tokens: 64, metadata: { user_id: user }, messages: [{ role: 'user', content: `hello ${index}` }] }));
    }
  }
  calls.push(openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined));
  await Promise.all(calls);
  await stack.bulwark.flushRequestLog();
  // Read back through the request-log store, not the analytics code under test.
  records = await stack.bulwark.requestLog.query({ limit: 10_000 });
  assert.equal(records.length, 61);
});
after(() => stack.close());

describe('admin analytics API on traffic through the gateway', () => {
  test('per-model percentiles, errors, tokens and cost match the log, computed independently', async () => {
    const { data } = await admin<{ data: SummaryRow[] }>('/admin/analytics/summary?since=1h&groupBy=model');
    const models = [...new Set(records.map((record) => record.modelRequested))];
    assert.deepEqual(data.map((row) => row.group).toSorted(), models.toSorted());
    for (const model of models) {
      const mine = records.filter((record) => record.modelRequested === model);
      const row = data.find((entry) => entry.group === model);
      const latencies = mine.map((record) => record.latencyMs);
      const firstTokens = mine.flatMap((record) => (record.timeToFirstTokenMs === undefined ? [] : [record.timeToFirstTokenMs]));
      assert.deepEqual(
        [row?.requests, row?.errors, row?.p50LatencyMs, row?.p95LatencyMs, row?.p99LatencyMs, row?.p95TimeToFirstTokenMs, row?.inputTokens, row?.outputTokens],
        [mine.length, mine.filter((record) => record.status >= 400).length, nearestRank(latencies, 50), nearestRank(latencies, 95), nearestRank(latencies, 99),
          nearestRank(firstTokens, 95), mine.reduce((sum, record) => sum + record.inputTokens, 0), mine.reduce((sum, record) => sum + record.outputTokens, 0)],
        model,
      );
      assert.ok(Math.abs((row?.costUsd ?? 0) - mine.reduce((sum, record) => sum + record.costUsd, 0)) < 1e-9);
    }
    assert.ok(data.find((row) => row.group === 'gemini')?.p95TimeToFirstTokenMs !== null, 'streamed calls have a time to first token');
  });

  test('filters by end user and status class, and the daily roll-up agrees with the log', async () => {
    const { data: byUser } = await admin<{ data: SummaryRow[] }>('/admin/analytics/summary?since=1h&endUser=user-1');
    assert.equal(byUser[0]?.requests, records.filter((record) => record.endUser === 'user-1').length);
    const { data: errors } = await admin<{ data: SummaryRow[] }>('/admin/analytics/summary?since=1h&status=4xx');
    assert.equal(errors[0]?.requests, records.filter((record) => record.status >= 400 && record.status < 500).length);
    const { data: daily } = await admin<{ data: { requests: number; costUsd: number; inputTokens: number }[] }>('/admin/analytics/daily?since=1d');
    assert.equal(daily.reduce((sum, row) => sum + row.requests, 0), records.length);
    assert.equal(daily.reduce((sum, row) => sum + row.inputTokens, 0), records.reduce((sum, record) => sum + record.inputTokens, 0));
  });
});
