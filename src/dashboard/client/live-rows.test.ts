import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestRow } from './api-types.ts';
import { maxLiveRows, mergeLiveRows, parseLiveEvent, parseRequestRow } from './live-rows.ts';

const row = (requestId: string, startedAt: number, status = 200): RequestRow => ({
  requestId, startedAt, endpoint: '/v1/chat/completions', clientFormat: 'openai-chat', keyId: 'key_1', endUser: null,
  modelRequested: 'gpt-4o', provider: 'openai', upstreamModel: 'gpt-4o', stream: false, status, errorCode: null,
  finishReason: 'stop', inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, reasoningTokens: 0, costUsd: 0.001,
  latencyMs: 300, timeToFirstTokenMs: null, attempts: 1,
});

describe('mergeLiveRows', () => {
  test('puts the newest request first', () => {
    const merged = mergeLiveRows([row('a', 1), row('b', 3)], [row('c', 2)]);
    assert.deepEqual(merged.map((entry) => entry.requestId), ['b', 'c', 'a']);
  });

  test('keeps one row per request id, so a reconnect replaying the backlog adds nothing', () => {
    const shown = [row('b', 2), row('a', 1)];
    assert.deepEqual(mergeLiveRows(shown, [row('a', 1), row('b', 2)]).map((entry) => entry.requestId), ['b', 'a']);
  });

  test('keeps at most the limit, dropping the oldest', () => {
    const many = Array.from({ length: maxLiveRows + 30 }, (_, index) => row(`r${index}`, index));
    const merged = mergeLiveRows([], many);
    assert.equal(merged.length, maxLiveRows);
    assert.equal(merged[0]?.requestId, `r${maxLiveRows + 29}`);
    assert.equal(merged.at(-1)?.requestId, 'r30');
    assert.equal(maxLiveRows, 200);
  });
});

describe('parseLiveEvent', () => {
  test('reads a backlog (an array) and a single request (an object)', () => {
    assert.deepEqual(parseLiveEvent(JSON.stringify([row('a', 1), row('b', 2)])).map((entry) => entry.requestId), ['a', 'b']);
    assert.deepEqual(parseLiveEvent(JSON.stringify(row('c', 3))).map((entry) => entry.requestId), ['c']);
  });

  test('malformed data yields no rows instead of throwing', () => {
    for (const data of ['', 'not json', '{', 'null', '42', '"text"', '[1, 2]', '{}', '{"requestId": 5, "startedAt": 1, "status": 200}', '{"requestId": "x", "startedAt": "yesterday", "status": 200}']) {
      assert.deepEqual(parseLiveEvent(data), [], data);
    }
  });

  test('drops only the malformed rows of a backlog', () => {
    const data = JSON.stringify([row('a', 1), { requestId: 'no-status', startedAt: 2 }, null, row('b', 3)]);
    assert.deepEqual(parseLiveEvent(data).map((entry) => entry.requestId), ['a', 'b']);
    assert.equal(parseRequestRow([]), null);
  });
});
