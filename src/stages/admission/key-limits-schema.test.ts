import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyLimitsSchema, mergeKeyLimits } from './key-limits-schema.ts';
import { queueOptionsSchema } from './queue-options-schema.ts';

test('key limits accept positive whole numbers, each optional', () => {
  assert.deepEqual(keyLimitsSchema.parse({}), {});
  assert.deepEqual(keyLimitsSchema.parse({ requestsPerMinute: 60, tokensPerMinute: 90_000, maxConcurrent: 4 }), { requestsPerMinute: 60, tokensPerMinute: 90_000, maxConcurrent: 4 });
});

test('malformed key limits are refused', () => {
  for (const value of [{ requestsPerMinute: 0 }, { tokensPerMinute: -1 }, { maxConcurrent: 1.5 }, { requestsPerMinute: '60' }, { rpm: 60 }, null, []]) {
    assert.equal(keyLimitsSchema.safeParse(value).success, false, JSON.stringify(value));
  }
});

test("a key's own limits override the defaults field by field", () => {
  assert.deepEqual(mergeKeyLimits({ requestsPerMinute: 60, maxConcurrent: 4 }, { requestsPerMinute: 600, tokensPerMinute: undefined }), { requestsPerMinute: 600, maxConcurrent: 4 });
  assert.deepEqual(mergeKeyLimits(undefined, undefined), {});
});

test('queue options have defaults and refuse malformed values', () => {
  const parsed = queueOptionsSchema.parse({});
  assert.equal(parsed.defaultPriority, 'normal');
  assert.equal(parsed.defaultTimeoutMs, 30_000);
  assert.deepEqual(parsed.deployments, {});
  assert.equal(queueOptionsSchema.parse({ deployments: { 'openai/gpt-4o': { maxConcurrent: 8 } } }).deployments['openai/gpt-4o']?.maxConcurrent, 8);
  for (const value of [{ defaultPriority: 'urgent' }, { agingMs: 0 }, { deployments: { x: { maxConcurrent: 0 } } }, { defaultTimeoutMs: -1 }, { unknown: true }]) {
    assert.equal(queueOptionsSchema.safeParse(value).success, false, JSON.stringify(value));
  }
});
