import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deploymentLimiterOptionsSchema } from './deployment-limiter-options.ts';
import { createLearnedCapacity } from './learned-capacity.ts';

const settings = (overrides: Record<string, unknown> = {}) =>
  deploymentLimiterOptionsSchema.parse({ initial: { requestsPerMinute: 100, tokensPerMinute: 10_000 }, ...overrides });

test('a deployment starts at its configured limits, or the per-deployment override', () => {
  const capacity = createLearnedCapacity(settings({ deployments: { 'azure/gpt-4o': { requestsPerMinute: 30, tokensPerMinute: 3000 } } }));
  assert.deepEqual(capacity.get('openai/gpt-4o'), {
    limits: { requestsPerMinute: 100, tokensPerMinute: 10_000 },
    ceiling: { requestsPerMinute: 100, tokensPerMinute: 10_000 },
    advertised: { requests: false, tokens: false },
    share: 1,
    pausedUntil: 0,
  });
  assert.deepEqual(capacity.get('azure/gpt-4o').limits, { requestsPerMinute: 30, tokensPerMinute: 3000 });
});

test('429s closer together than the interval are one decrease; the share never goes below the floor', () => {
  const capacity = createLearnedCapacity(settings({ decreaseIntervalMs: 1000, floor: 0.2 }));
  capacity.rateLimited('a/m', 10_000, undefined);
  capacity.rateLimited('a/m', 10_500, undefined);
  assert.equal(capacity.get('a/m').share, 0.5);
  capacity.rateLimited('a/m', 11_000, undefined);
  assert.equal(capacity.get('a/m').share, 0.25);
  capacity.rateLimited('a/m', 12_000, undefined);
  assert.equal(capacity.get('a/m').share, 0.2);
  assert.deepEqual(capacity.get('a/m').limits, { requestsPerMinute: 20, tokensPerMinute: 2000 });
  assert.equal(capacity.get('b/m').share, 1);
});

test('a window of successes (as many as the current request limit) regains `increase` of the share', () => {
  const capacity = createLearnedCapacity(settings({ increase: 0.1 }));
  capacity.rateLimited('a/m', 0, undefined); // 50 requests per minute
  capacity.succeeded('a/m');
  assert.equal(capacity.get('a/m').share, 0.5 + 0.1 / 50);
  for (let success = 1; success < 50; success += 1) capacity.succeeded('a/m');
  // A little under 0.6: the window widens as the limit climbs.
  const afterWindow = capacity.get('a/m').share;
  assert.ok(afterWindow > 0.58 && afterWindow < 0.6, String(afterWindow));
  let successes = 0;
  while (capacity.get('a/m').share < 1) {
    capacity.succeeded('a/m');
    successes += 1;
    assert.ok(successes < 10_000, 'the share must come back to 1');
  }
  capacity.succeeded('a/m');
  assert.equal(capacity.get('a/m').share, 1);
  assert.deepEqual(capacity.get('a/m').limits, { requestsPerMinute: 100, tokensPerMinute: 10_000 });
});

test('advertised limits become the ceiling; the AIMD share stays as it was', () => {
  const capacity = createLearnedCapacity(settings());
  capacity.rateLimited('a/m', 0, undefined);
  capacity.learn('a/m', { requests: { limit: 60, remaining: 59 }, tokens: { remaining: 3 } }, 0);
  assert.deepEqual(capacity.get('a/m').ceiling, { requestsPerMinute: 60, tokensPerMinute: 10_000 });
  assert.deepEqual(capacity.get('a/m').advertised, { requests: true, tokens: false });
  assert.deepEqual(capacity.get('a/m').limits, { requestsPerMinute: 30, tokensPerMinute: 5000 });
  // Anthropic's input and output limits add up to its combined one when that is missing.
  capacity.learn('a/m', { inputTokens: { limit: 80_000 }, outputTokens: { limit: 16_000 } }, 0);
  assert.equal(capacity.get('a/m').ceiling.tokensPerMinute, 96_000);
  capacity.learn('a/m', { tokens: { limit: 50_000 }, inputTokens: { limit: 80_000 }, outputTokens: { limit: 16_000 } }, 0);
  assert.equal(capacity.get('a/m').ceiling.tokensPerMinute, 50_000);
});

test('nonsense limits are not learned, and learning can be switched off', () => {
  const capacity = createLearnedCapacity(settings());
  capacity.learn('a/m', { requests: { limit: 0 }, tokens: { limit: Number.NaN } }, 0);
  capacity.learn('a/m', { requests: { limit: -5 }, tokens: { limit: Number.POSITIVE_INFINITY } }, 0);
  assert.deepEqual(capacity.get('a/m').ceiling, { requestsPerMinute: 100, tokensPerMinute: 10_000 });
  const fixed = createLearnedCapacity(settings({ learnFromHeaders: false }));
  fixed.learn('a/m', { requests: { limit: 60 }, retryAfterSeconds: 3 }, 1000);
  assert.equal(fixed.get('a/m').ceiling.requestsPerMinute, 100);
  assert.equal(fixed.get('a/m').pausedUntil, 4000, 'Retry-After is honoured either way');
});

test('a Retry-After pauses the deployment, capped, and a later shorter one does not shorten it', () => {
  const capacity = createLearnedCapacity(settings({ maxPauseSeconds: 30 }));
  capacity.rateLimited('a/m', 1000, 10);
  assert.equal(capacity.get('a/m').pausedUntil, 11_000);
  capacity.learn('a/m', { retryAfterSeconds: 1 }, 2000);
  assert.equal(capacity.get('a/m').pausedUntil, 11_000);
  capacity.learn('a/m', { retryAfterSeconds: 86_400 }, 2000);
  assert.equal(capacity.get('a/m').pausedUntil, 32_000);
  capacity.learn('b/m', { retryAfterSeconds: -1 }, 2000);
  assert.equal(capacity.get('b/m').pausedUntil, 0);
});

test('a tiny ceiling still lets one request a minute through', () => {
  const capacity = createLearnedCapacity(settings({ initial: { requestsPerMinute: 1, tokensPerMinute: 1 }, floor: 0.01 }));
  capacity.rateLimited('a/m', 0, undefined);
  assert.deepEqual(capacity.get('a/m').limits, { requestsPerMinute: 1, tokensPerMinute: 1 });
});

test('snapshot lists every deployment seen', () => {
  const capacity = createLearnedCapacity(settings());
  capacity.get('a/m');
  capacity.rateLimited('b/m', 0, undefined);
  assert.deepEqual(Object.keys(capacity.snapshot()), ['a/m', 'b/m']);
  assert.equal(capacity.snapshot()['b/m']?.share, 0.5);
});

test('the options schema fills defaults and refuses bad values', () => {
  const parsed = deploymentLimiterOptionsSchema.parse({});
  assert.deepEqual(parsed, {
    initial: { requestsPerMinute: 1000, tokensPerMinute: 1_000_000 },
    deployments: {},
    learnFromHeaders: true,
    decrease: 0.5,
    increase: 0.1,
    floor: 0.1,
    decreaseIntervalMs: 1000,
    maxPauseSeconds: 60,
  });
  for (const bad of [
    { decrease: 1 },
    { decrease: 0 },
    { increase: 0 },
    { floor: 1.5 },
    { initial: { requestsPerMinute: 0, tokensPerMinute: 10 } },
    { initial: { requestsPerMinute: 10 } },
    { deployments: { 'a/m': { requestsPerMinute: '10', tokensPerMinute: 10 } } },
    { decreaseIntervalMs: -1 },
    { maxPauseSeconds: 0 },
    { rpm: 10 },
  ]) {
    assert.equal(deploymentLimiterOptionsSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});
