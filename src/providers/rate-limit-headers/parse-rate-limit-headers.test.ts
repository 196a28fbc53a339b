import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseRateLimitHeaders } from './parse-rate-limit-headers.ts';

/** The recorded response headers of a fixture in `__fixtures__/` (each names its source). */
const fixtureHeaders = (name: string): Headers => {
  const fixture = JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as {
    payload: { headers: Record<string, string> };
  };
  return new Headers(fixture.payload.headers);
};

const now = Date.parse('2025-08-21T12:41:00Z');

test("OpenAI's documented sample values: both windows, Go-style resets", () => {
  assert.deepEqual(parseRateLimitHeaders('openai', fixtureHeaders('openai-docs-sample'), now), {
    requests: { limit: 60, remaining: 59, resetSeconds: 1 },
    tokens: { limit: 150_000, remaining: 149_984, resetSeconds: 360 },
  });
});

test('a recorded OpenAI response: millisecond resets, and the `_usage_based` variants are ignored', () => {
  assert.deepEqual(parseRateLimitHeaders('openai', fixtureHeaders('openai-recorded-response'), now), {
    requests: { limit: 5000, remaining: 4999, resetSeconds: 0.012 },
    tokens: { limit: 160_000, remaining: 159_976, resetSeconds: 0.009 },
  });
});

test('a response with the request window only has no tokens entry', () => {
  assert.deepEqual(parseRateLimitHeaders('openai-compatible', fixtureHeaders('openai-requests-only'), now), {
    requests: { limit: 3500, remaining: 3499, resetSeconds: 0.017 },
  });
});

test('Azure sending remaining counts alone gives windows without a limit', () => {
  assert.deepEqual(parseRateLimitHeaders('azure-openai', fixtureHeaders('azure-remaining-only'), now), {
    requests: { remaining: 79 },
    tokens: { remaining: 61_353 },
  });
});

test("Azure's -1 means unknown: neither limit nor remaining is taken", () => {
  assert.deepEqual(parseRateLimitHeaders('azure-openai', fixtureHeaders('azure-unknown-token-limit'), now), {
    tokens: { resetSeconds: 0 },
  });
});

test('a recorded Anthropic response: RFC 3339 resets against the response time, input and output windows apart', () => {
  const headers = fixtureHeaders('anthropic-recorded-response');
  const recordedAt = Date.parse(headers.get('date') ?? '');
  assert.deepEqual(parseRateLimitHeaders('anthropic', headers, recordedAt - 30_000), {
    requests: { limit: 1000, remaining: 999, resetSeconds: 29 },
    tokens: { limit: 96_000, remaining: 96_000, resetSeconds: 29 },
    inputTokens: { limit: 80_000, remaining: 80_000, resetSeconds: 29 },
    outputTokens: { limit: 16_000, remaining: 16_000, resetSeconds: 30 },
  });
  // A reset time already past is "now", not a negative wait.
  assert.equal(parseRateLimitHeaders('anthropic', headers, recordedAt).requests?.resetSeconds, 0);
});

test("each family reads only its own headers", () => {
  assert.deepEqual(parseRateLimitHeaders('anthropic', fixtureHeaders('openai-docs-sample'), now), {});
  assert.deepEqual(parseRateLimitHeaders('openai', fixtureHeaders('anthropic-recorded-response'), now), {});
});

test('Gemini and Bedrock state no limits in headers; Retry-After is still read', () => {
  const headers = new Headers({ 'x-ratelimit-limit-requests': '60', 'anthropic-ratelimit-requests-limit': '50' });
  assert.deepEqual(parseRateLimitHeaders('gemini', headers, now), {});
  assert.deepEqual(parseRateLimitHeaders('bedrock', headers, now), {});
  assert.deepEqual(parseRateLimitHeaders('bedrock', new Headers({ 'retry-after': '7' }), now), { retryAfterSeconds: 7 });
});

test('a 429 carries Retry-After (seconds, HTTP date, or Azure and OpenAI retry-after-ms)', () => {
  const anthropic429 = new Headers({
    'retry-after': '12',
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': '2025-08-21T12:41:12Z',
  });
  assert.deepEqual(parseRateLimitHeaders('anthropic', anthropic429, now), {
    requests: { limit: 50, remaining: 0, resetSeconds: 12 },
    retryAfterSeconds: 12,
  });
  assert.equal(parseRateLimitHeaders('azure-openai', new Headers({ 'retry-after-ms': '1500', 'retry-after': '2' }), now).retryAfterSeconds, 1.5);
  assert.equal(parseRateLimitHeaders('openai', new Headers({ 'retry-after': 'Thu, 21 Aug 2025 12:41:05 GMT' }), now).retryAfterSeconds, 5);
});

test('malformed values are left out, never guessed', () => {
  const openai = new Headers({
    'x-ratelimit-limit-requests': 'sixty',
    'x-ratelimit-remaining-requests': '1e3',
    'x-ratelimit-reset-requests': '-1s',
    'x-ratelimit-limit-tokens': '0',
    'x-ratelimit-remaining-tokens': '12.5',
    'x-ratelimit-reset-tokens': 'soon',
    'retry-after': 'later',
  });
  assert.deepEqual(parseRateLimitHeaders('openai', openai, now), {});
  const anthropic = new Headers({
    'anthropic-ratelimit-requests-limit': '',
    'anthropic-ratelimit-requests-remaining': '-3',
    // Date.parse would read these as dates; the parser accepts RFC 3339 only.
    'anthropic-ratelimit-requests-reset': '1',
    'anthropic-ratelimit-tokens-reset': 'Thu, 21 Aug 2025 12:41:05 GMT',
    'anthropic-ratelimit-input-tokens-reset': '2025-13-45T99:99:99Z',
  });
  assert.deepEqual(parseRateLimitHeaders('anthropic', anthropic, now), {});
});
