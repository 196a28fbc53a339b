import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from './deterministic-random.ts';
import { instantLatency, parseLatencyHeader, resolveLatency, timeToFirstToken, tokenDueAt } from './latency-model.ts';

test('parses the x-sim-latency header', () => {
  assert.deepEqual(parseLatencyHeader('ttft=200,tps=50'), { ttftMs: 200, tokensPerSecond: 50 });
  assert.deepEqual(parseLatencyHeader(' jitter = 15 , tps=inf '), { jitterMs: 15, tokensPerSecond: Number.POSITIVE_INFINITY });
  assert.deepEqual(parseLatencyHeader(''), {});
});

test('rejects malformed latency headers with a message naming the entry', () => {
  for (const value of ['ttft', 'ttft=', 'ttft=abc', 'speed=3', 'ttft=-1', 'tps=0', 'ttft=1=2']) {
    assert.throws(() => parseLatencyHeader(value), RangeError, value);
  }
  assert.throws(() => parseLatencyHeader('ttft=1,bogus=2'), /bogus=2/);
});

test('the header overrides the defaults field by field', () => {
  const defaults = { ttftMs: 100, tokensPerSecond: 20, jitterMs: 5 };
  assert.deepEqual(resolveLatency(defaults, 'tps=80'), { ttftMs: 100, tokensPerSecond: 80, jitterMs: 5 });
  assert.deepEqual(resolveLatency(defaults, undefined), defaults);
});

test('jitter stays within its bounds and never makes the wait negative', () => {
  const random = createRandom(3);
  for (let index = 0; index < 100; index++) {
    const wait = timeToFirstToken({ ttftMs: 10, tokensPerSecond: 1, jitterMs: 50 }, random);
    assert.ok(wait >= 0 && wait <= 60);
  }
  assert.equal(timeToFirstToken(instantLatency, random), 0);
});

test('tokens fall due at the configured rate', () => {
  assert.equal(tokenDueAt({ ttftMs: 0, tokensPerSecond: 50, jitterMs: 0 }, 10), 200);
  assert.equal(tokenDueAt(instantLatency, 1000), 0);
});
