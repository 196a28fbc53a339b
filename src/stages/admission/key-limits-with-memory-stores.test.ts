import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../../core/errors/index.ts';
import type { GatewayResponse } from '../../core/pipeline/gateway-response.ts';
import { MemoryConcurrencyStore } from '../../stores/shared-state/memory-concurrency-store.ts';
import { MemoryRateLimitStore } from '../../stores/shared-state/memory-rate-limit-store.ts';
import { createKeyLimitsStage } from './create-key-limits-stage.ts';
import type { KeyLimits } from './key-limits-schema.ts';
import { contextOf, principalOf, requestOf, resultWith } from './testing/admission-fixtures.ts';

/** The stage against the real single-process stores (the SQLite and Redis ones share their contract suite). */
const setup = (limits: KeyLimits) => {
  let now = 1_700_000_000_000;
  const stage = createKeyLimitsStage({ store: new MemoryRateLimitStore(), concurrency: new MemoryConcurrencyStore(), limitsFor: () => limits, now: () => now });
  return { stage, advance: (ms: number) => (now += ms) };
};

const alice = principalOf('vk_alice');
const answer = (inputTokens: number, outputTokens: number) => async (): Promise<GatewayResponse> => ({ type: 'result', result: resultWith({ inputTokens, outputTokens }) });

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  assert.ok(isGatewayError(error) && error.code === 'key_rate_limited', 'refused with key_rate_limited');
  return error;
};

test('requests per minute hold with the memory store, with the wait for the next token', async () => {
  const { stage, advance } = setup({ requestsPerMinute: 3 });
  for (let index = 0; index < 3; index++) await stage.run(contextOf(requestOf(8), alice), answer(1, 1));
  const error = await refusal(stage.run(contextOf(requestOf(8), alice), answer(1, 1)));
  assert.equal(error.retryAfterSeconds, 20);
  advance(20_000);
  await stage.run(contextOf(requestOf(8), alice), answer(1, 1));
});

test('settlement gives back an over-estimate, so the next request fits where the estimate alone would not', async () => {
  const { stage } = setup({ tokensPerMinute: 1000 });
  // Estimated 604, used 50: 950 left, so a second 604-token estimate fits; without settlement it would not.
  await stage.run(contextOf(requestOf(400, 500), alice), answer(40, 10));
  await stage.run(contextOf(requestOf(400, 500), alice), answer(40, 10));
  await stage.run(contextOf(requestOf(400, 500), alice), answer(40, 10));
});

test('settlement takes an under-estimate, so the key waits for what it really used', async () => {
  const { stage } = setup({ tokensPerMinute: 1000 });
  await stage.run(contextOf(requestOf(4, 10), alice), answer(950, 45));
  // 5 tokens left; the next estimate is 15.
  const error = await refusal(stage.run(contextOf(requestOf(4, 10), alice), answer(1, 1)));
  assert.ok((error.retryAfterSeconds ?? 0) > 0);
});

test('concurrency leases are released with the memory store', async () => {
  const { stage } = setup({ maxConcurrent: 1 });
  for (let index = 0; index < 3; index++) await stage.run(contextOf(requestOf(8), alice), answer(1, 1));
  let release: (() => void) | undefined;
  const held = stage.run(contextOf(requestOf(8), alice), () => new Promise<GatewayResponse>((resolve) => {
    release = () => resolve({ type: 'result', result: resultWith({ inputTokens: 1, outputTokens: 1 }) });
  }));
  await new Promise((resolve) => setImmediate(resolve));
  await refusal(stage.run(contextOf(requestOf(8), alice), answer(1, 1)));
  release?.();
  await held;
  await stage.run(contextOf(requestOf(8), alice), answer(1, 1));
});
