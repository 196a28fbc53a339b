import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatOpenaiDuration, rateLimitHeaders } from './rate-limit-headers.ts';
import { RateLimitWindows } from './rate-limit-window.ts';

const settings = { requestsPerMinute: 3, tokensPerMinute: 100, enforce: true };

test('remaining counts go down per request and reset with the next minute', () => {
  let now = Date.parse('2026-01-01T00:00:10Z');
  const windows = new RateLimitWindows(settings, () => now);
  assert.equal(windows.record('openai:gpt-4o', 10).requestsRemaining, 2);
  const second = windows.record('openai:gpt-4o', 30);
  assert.deepEqual([second.requestsRemaining, second.tokensRemaining, second.resetInMs], [1, 60, 50_000]);
  assert.equal(windows.record('openai:other', 1).requestsRemaining, 2, 'keys are independent');
  windows.record('openai:gpt-4o', 1);
  assert.equal(windows.isExhausted('openai:gpt-4o'), true);
  now += 50_000;
  assert.equal(windows.isExhausted('openai:gpt-4o'), false);
  assert.equal(windows.peek('openai:gpt-4o').requestsRemaining, 3);
});

test('OpenAI durations read like the real headers', () => {
  assert.equal(formatOpenaiDuration(120), '120ms');
  assert.equal(formatOpenaiDuration(8640), '8.64s');
  assert.equal(formatOpenaiDuration(360_000), '6m0s');
  assert.equal(formatOpenaiDuration(-5), '0ms');
});

test('each family gets its own rate-limit headers', () => {
  const snapshot = { requestsLimit: 50, requestsRemaining: 49, tokensLimit: 1000, tokensRemaining: 900, resetAt: Date.parse('2026-01-01T00:01:00Z'), resetInMs: 1500 };
  assert.deepEqual(rateLimitHeaders('openai', snapshot), {
    'x-ratelimit-limit-requests': '50', 'x-ratelimit-limit-tokens': '1000', 'x-ratelimit-remaining-requests': '49',
    'x-ratelimit-remaining-tokens': '900', 'x-ratelimit-reset-requests': '1.5s', 'x-ratelimit-reset-tokens': '1.5s',
  });
  const anthropic = rateLimitHeaders('anthropic', snapshot);
  assert.equal(anthropic['anthropic-ratelimit-requests-remaining'], '49');
  assert.equal(anthropic['anthropic-ratelimit-tokens-reset'], '2026-01-01T00:01:00Z');
  assert.deepEqual(rateLimitHeaders('gemini', snapshot), {});
});
