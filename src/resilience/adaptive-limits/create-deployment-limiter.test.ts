import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GatewayError, isGatewayError } from '../../core/errors/index.ts';
import type { StreamEvent, TokenUsage } from '../../core/model/index.ts';
import type { AttemptCall, AttemptFunction, AttemptOutput } from '../../core/pipeline/call-interceptor.ts';
import { parseRateLimitHeaders } from '../../providers/rate-limit-headers/parse-rate-limit-headers.ts';
import type { BucketCharge, ConsumeResult, RateLimitStore } from '../../stores/shared-state-contracts.ts';
import { createDeploymentLimiter, type DeploymentLimiterOptions } from './create-deployment-limiter.ts';
import { isLocalRateLimit } from './local-rate-limit.ts';

/**
 * A token-bucket store in memory with the contract's semantics (continuous refill, all or none, adjust
 * may go below zero, never above capacity), recording every call so tests can check the charges.
 */
const fakeStore = () => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const consumed: BucketCharge[][] = [];
  const adjusted: BucketCharge[][] = [];
  const level = (charge: BucketCharge, now: number): { tokens: number; at: number } => {
    const bucket = buckets.get(charge.key) ?? { tokens: charge.capacity, at: now };
    bucket.tokens = Math.min(charge.capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * charge.refillPerSecond);
    bucket.at = Math.max(bucket.at, now);
    buckets.set(charge.key, bucket);
    return bucket;
  };
  const store: RateLimitStore = {
    async consume(charges, now): Promise<ConsumeResult> {
      consumed.push(charges.map((charge) => ({ ...charge })));
      const levels = charges.map((charge) => level(charge, now));
      const short = charges.map((charge, index) => charge.amount - (levels[index]?.tokens ?? 0));
      if (short.some((missing) => missing > 0)) {
        const retryAfterSeconds = Math.max(...short.map((missing, index) => missing / (charges[index]?.refillPerSecond ?? 1)));
        return { allowed: false, retryAfterSeconds, remaining: levels.map((bucket) => bucket.tokens) };
      }
      charges.forEach((charge, index) => ((levels[index] as { tokens: number }).tokens -= charge.amount));
      return { allowed: true, retryAfterSeconds: 0, remaining: levels.map((bucket) => bucket.tokens) };
    },
    async adjust(charges, now) {
      adjusted.push(charges.map((charge) => ({ ...charge })));
      for (const charge of charges) {
        const bucket = level(charge, now);
        bucket.tokens = Math.min(charge.capacity, bucket.tokens + charge.amount);
      }
    },
  };
  return { store, consumed, adjusted, tokens: (key: string) => buckets.get(key)?.tokens };
};

const clock = () => {
  let current = 1_700_000_000_000;
  return { now: () => current, advance: (ms: number) => void (current += ms) };
};

const call = (overrides: Partial<AttemptCall> = {}): AttemptCall => ({
  requestId: 'request-1',
  provider: 'openai',
  model: 'gpt-4o',
  stream: false,
  signal: new AbortController().signal,
  priority: 'normal',
  estimatedTokens: 500,
  ...overrides,
});

const answer = (usage: TokenUsage): AttemptOutput => ({
  type: 'result',
  result: { id: 'r', model: 'gpt-4o', created: 0, content: [{ type: 'text', text: 'Hi' }], finishReason: 'stop', usage },
});
const answering = (usage: TokenUsage): AttemptFunction => async () => answer(usage);
const upstream429 = (retryAfterSeconds?: number): AttemptFunction => async () => {
  throw new GatewayError('upstream_rate_limited', 'Rate limit reached for gpt-4o', retryAfterSeconds === undefined ? { upstreamStatus: 429 } : { upstreamStatus: 429, retryAfterSeconds });
};

const serverError: AttemptFunction = async () => {
  throw new GatewayError('upstream_server_error', 'boom', { upstreamStatus: 500 });
};

const rpm = 'deployment:openai/gpt-4o:rpm';
const tpm = 'deployment:openai/gpt-4o:tpm';

const setup = (options: Partial<DeploymentLimiterOptions> = {}) => {
  const store = fakeStore();
  const time = clock();
  const limiter = createDeploymentLimiter({ store: store.store, now: time.now, initial: { requestsPerMinute: 60, tokensPerMinute: 6000 }, ...options });
  return { ...store, time, limiter };
};

/** Lets the fire-and-forget settlement reach the store. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('charges one request and the estimate before the call, then settles with the real usage', async () => {
  const { limiter, consumed, adjusted, tokens } = setup();
  const output = await limiter(answering({ inputTokens: 120, outputTokens: 80 }))(call());
  assert.equal(output.type, 'result');
  assert.deepEqual(consumed, [[
    { key: rpm, capacity: 60, refillPerSecond: 1, amount: 1 },
    { key: tpm, capacity: 6000, refillPerSecond: 100, amount: 500 },
  ]]);
  await settled();
  assert.deepEqual(adjusted, [[{ key: tpm, capacity: 6000, refillPerSecond: 100, amount: 300 }]]);
  assert.equal(tokens(tpm), 5800);
  assert.equal(tokens(rpm), 59);
});

test('an answer larger than its estimate takes the difference, so the next caller waits', async () => {
  const { limiter, adjusted, tokens, time } = setup();
  await limiter(answering({ inputTokens: 4000, outputTokens: 2500 }))(call());
  await settled();
  assert.equal(adjusted[0]?.[0]?.amount, -6000);
  assert.equal(tokens(tpm), -500);
  const refused = await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call({ estimatedTokens: 100 })).catch((error: unknown) => error);
  assert.ok(isGatewayError(refused) && refused.retryAfterSeconds === 6, String(refused));
  time.advance(6000);
  assert.equal((await limiter(answering({ inputTokens: 50, outputTokens: 50 }))(call({ estimatedTokens: 100 }))).type, 'result');
});

test('refused locally: upstream_rate_limited with Retry-After, marked local, and the provider is not called', async () => {
  const { limiter, time } = setup({ initial: { requestsPerMinute: 2, tokensPerMinute: 6000 } });
  let calls = 0;
  const attempt: AttemptFunction = async () => {
    calls += 1;
    return answer({ inputTokens: 1, outputTokens: 1 });
  };
  await limiter(attempt)(call());
  await limiter(attempt)(call());
  const refused = await limiter(attempt)(call()).catch((error: unknown) => error);
  assert.equal(calls, 2);
  assert.ok(isGatewayError(refused));
  assert.equal(refused.code, 'upstream_rate_limited');
  assert.equal(refused.spec.fallback, true, 'dispatch may try the next target');
  assert.equal(refused.retryAfterSeconds, 30);
  assert.equal(refused.upstreamStatus, undefined);
  assert.match(refused.message, /openai\/gpt-4o.*local decision; the provider was not called.*Retry after 30 s/);
  assert.equal(isLocalRateLimit(refused), true);
  assert.equal(limiter.capacity('openai/gpt-4o').share, 1, 'a local refusal teaches nothing');
  time.advance(30_000);
  await limiter(attempt)(call());
  assert.equal(calls, 3);
});

test('a call estimated above the whole token bucket is charged the bucket, not refused forever', async () => {
  const { limiter, consumed, adjusted } = setup();
  await limiter(answering({ inputTokens: 7000, outputTokens: 10 }))(call({ estimatedTokens: 9000 }));
  await settled();
  assert.equal(consumed[0]?.[1]?.amount, 6000);
  assert.equal(adjusted[0]?.[0]?.amount, -1010);
});

test('malformed estimates are charged as nothing', async () => {
  const { limiter, consumed } = setup();
  for (const estimatedTokens of [Number.NaN, -20, Number.POSITIVE_INFINITY]) await limiter(answering({ inputTokens: 0, outputTokens: 0 }))(call({ estimatedTokens }));
  assert.deepEqual(consumed.map((charges) => charges[1]?.amount), [0, 0, 0]);
});

test('an upstream 429 halves the limits, gives the tokens back, and pauses for its Retry-After', async () => {
  const { limiter, adjusted, consumed, time } = setup();
  const thrown = await limiter(upstream429(5))(call()).catch((error: unknown) => error);
  assert.ok(isGatewayError(thrown) && thrown.upstreamStatus === 429 && !isLocalRateLimit(thrown), 'the provider error passes through as it is');
  await settled();
  assert.deepEqual(adjusted, [[{ key: tpm, capacity: 6000, refillPerSecond: 100, amount: 500 }]]);
  assert.deepEqual(limiter.capacity('openai/gpt-4o').limits, { requestsPerMinute: 30, tokensPerMinute: 3000 });

  time.advance(4000);
  const paused = await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call()).catch((error: unknown) => error);
  assert.ok(isLocalRateLimit(paused) && isGatewayError(paused) && paused.retryAfterSeconds === 1, String(paused));
  assert.equal(consumed.length, 1, 'a paused deployment costs no store round trip');

  time.advance(1000);
  await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call());
  assert.deepEqual(consumed[1]?.map((charge) => charge.capacity), [30, 3000]);
});

test('a burst of 429s is one decrease; later ones keep halving down to the floor', async () => {
  const { limiter, time } = setup({ floor: 0.2 });
  await Promise.allSettled([1, 2, 3].map(() => limiter(upstream429())(call())));
  assert.equal(limiter.capacity('openai/gpt-4o').share, 0.5);
  for (let round = 0; round < 5; round += 1) {
    time.advance(1000);
    await limiter(upstream429())(call()).catch(() => undefined);
  }
  assert.equal(limiter.capacity('openai/gpt-4o').share, 0.2);
  assert.deepEqual(limiter.capacity('openai/gpt-4o').limits, { requestsPerMinute: 12, tokensPerMinute: 1200 });
});

test('successes climb back to the ceiling and no further', async () => {
  const { limiter, time } = setup();
  await limiter(upstream429())(call()).catch(() => undefined);
  assert.equal(limiter.capacity('openai/gpt-4o').limits.requestsPerMinute, 30);
  const shares: number[] = [];
  for (let success = 0; success < 400; success += 1) {
    time.advance(2000); // one request per refill: never refused locally
    await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call({ estimatedTokens: 2 }));
    shares.push(limiter.capacity('openai/gpt-4o').share);
  }
  assert.ok(shares.every((share, index) => index === 0 || share >= (shares[index - 1] ?? 0)), 'never falls on success');
  const afterWindow = shares[29] ?? 0;
  assert.ok(afterWindow > 0.55 && afterWindow < 0.6, `one window of successes regains about 0.1, got ${afterWindow}`);
  assert.equal(shares.at(-1), 1);
  assert.deepEqual(limiter.capacity('openai/gpt-4o').limits, { requestsPerMinute: 60, tokensPerMinute: 6000 });
});

test('a local refusal from an inner limiter is not taken for the provider\'s 429', async () => {
  const inner = setup({ initial: { requestsPerMinute: 1, tokensPerMinute: 6000 } });
  const outer = setup();
  const attempt = outer.limiter(inner.limiter(answering({ inputTokens: 1, outputTokens: 1 })));
  await attempt(call());
  await assert.rejects(attempt(call()), (error: unknown) => isLocalRateLimit(error));
  assert.equal(outer.limiter.capacity('openai/gpt-4o').share, 1);
});

test("headers teach the ceiling: the next call's buckets are the advertised size", async () => {
  const { limiter, consumed } = setup();
  const fixture = JSON.parse(readFileSync(new URL('../../providers/rate-limit-headers/__fixtures__/openai-docs-sample.json', import.meta.url), 'utf8')) as {
    payload: { headers: Record<string, string> };
  };
  limiter.observeHeaders('openai/gpt-4o', parseRateLimitHeaders('openai', new Headers(fixture.payload.headers)));
  await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call());
  assert.deepEqual(consumed[0]?.map(({ capacity, refillPerSecond }) => ({ capacity, refillPerSecond })), [
    { capacity: 60, refillPerSecond: 1 },
    { capacity: 150_000, refillPerSecond: 2500 },
  ]);
  assert.deepEqual(limiter.capacity('openai/gpt-4o').advertised, { requests: true, tokens: true });
  assert.deepEqual(limiter.capacity('anthropic/claude').ceiling, { requestsPerMinute: 60, tokensPerMinute: 6000 }, 'other deployments keep theirs');
});

test('a Retry-After seen in headers pauses the deployment', async () => {
  const { limiter, time } = setup();
  limiter.observeHeaders('openai/gpt-4o', { retryAfterSeconds: 2 });
  await assert.rejects(limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call()), (error: unknown) => isLocalRateLimit(error));
  time.advance(2000);
  assert.equal((await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call())).type, 'result');
});

const streamOf = (events: StreamEvent[]): AttemptFunction => async () => ({
  type: 'stream',
  events: (async function* () {
    yield* events;
  })(),
});

test('a stream is settled when it ends, with its last usage event', async () => {
  const { limiter, adjusted } = setup();
  const output = await limiter(streamOf([
    { type: 'text-delta', text: 'Hi' },
    { type: 'finish', finishReason: 'stop' },
    { type: 'usage', usage: { inputTokens: 100, outputTokens: 50 } },
  ]))(call({ stream: true }));
  await settled();
  assert.equal(adjusted.length, 0, 'nothing is settled before the stream ends');
  if (output.type === 'stream') for await (const event of output.events) void event;
  await settled();
  assert.deepEqual(adjusted.map((charges) => charges[0]?.amount), [350]);
});

test('a stream abandoned before any usage keeps its estimate', async () => {
  const { limiter, adjusted } = setup();
  const output = await limiter(streamOf([{ type: 'text-delta', text: 'Hi' }, { type: 'finish', finishReason: 'stop' }]))(call({ stream: true }));
  if (output.type === 'stream') await output.events[Symbol.asyncIterator]().return?.();
  await settled();
  assert.deepEqual(adjusted, []);
});

test('other failures give the tokens back and leave the limits alone', async () => {
  const { limiter, adjusted } = setup();
  await assert.rejects(limiter(serverError)(call()), /boom/);
  await settled();
  assert.deepEqual(adjusted.map((charges) => charges[0]?.amount), [500]);
  assert.equal(limiter.capacity('openai/gpt-4o').share, 1);
});

test('a settlement the store fails is reported, and the answer still arrives', async () => {
  const errors: unknown[] = [];
  const { store } = fakeStore();
  const failingStore: RateLimitStore = { consume: store.consume, adjust: async () => Promise.reject(new Error('redis down')) };
  const limiter = createDeploymentLimiter({ store: failingStore, onStoreError: (error) => errors.push(error), initial: { requestsPerMinute: 60, tokensPerMinute: 6000 } });
  assert.equal((await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call())).type, 'result');
  await settled();
  assert.equal(errors.length, 1);
});

test('deployments are limited apart', async () => {
  const { limiter, consumed } = setup({ initial: { requestsPerMinute: 1, tokensPerMinute: 6000 } });
  await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call());
  await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call({ provider: 'azure' }));
  await limiter(answering({ inputTokens: 1, outputTokens: 1 }))(call({ model: 'gpt-4o-mini' }));
  assert.deepEqual(consumed.map((charges) => charges[0]?.key), ['deployment:openai/gpt-4o:rpm', 'deployment:azure/gpt-4o:rpm', 'deployment:openai/gpt-4o-mini:rpm']);
  assert.deepEqual(Object.keys(limiter.snapshot()), ['openai/gpt-4o', 'azure/gpt-4o', 'openai/gpt-4o-mini']);
});

test('options are validated once, at construction', () => {
  assert.throws(() => createDeploymentLimiter({ store: fakeStore().store, decrease: 2 }));
  assert.throws(() => createDeploymentLimiter({ store: fakeStore().store, initial: { requestsPerMinute: -1, tokensPerMinute: 1 } }));
});
