import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffOptionsSchema, createBackoff } from './backoff.ts';

const options = backoffOptionsSchema.parse({ baseMs: 100, maxMs: 1_000 });

test('draws each wait from zero up to base·2^retry (full jitter)', () => {
  const lowest = createBackoff(options, () => 0);
  const highest = createBackoff(options, () => 0.999_999);
  const middle = createBackoff(options, () => 0.5);
  assert.deepEqual([0, 1, 2, 3].map(lowest), [0, 0, 0, 0]);
  assert.deepEqual([0, 1, 2, 3].map(highest), [99, 199, 399, 799]);
  assert.deepEqual([0, 1, 2].map(middle), [50, 100, 200]);
});

test('never draws above maxMs, however many retries came before', () => {
  const highest = createBackoff(options, () => 0.999_999);
  assert.equal(highest(4), 999);
  assert.equal(highest(1_000), 999);
  assert.ok(Number.isFinite(highest(Number.MAX_SAFE_INTEGER)));
});

test('defaults, and rejects a cap below the base or unknown fields', () => {
  assert.deepEqual(backoffOptionsSchema.parse({}), { baseMs: 250, maxMs: 8_000 });
  assert.equal(backoffOptionsSchema.safeParse({ baseMs: 500, maxMs: 100 }).success, false);
  assert.equal(backoffOptionsSchema.safeParse({ baseMs: -1 }).success, false);
  assert.equal(backoffOptionsSchema.safeParse({ baseMS: 100 }).success, false);
  assert.equal(backoffOptionsSchema.safeParse({ baseMs: '100' }).success, false);
});
