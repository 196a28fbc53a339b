import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BucketCharge, RateLimitStore } from '../../src/stores/shared-state-contracts.ts';
import { startTime as t0, withState, type SharedStateFactory } from './shared-state.contract.ts';

const charge = (key: string, capacity: number, refillPerSecond: number, amount: number): BucketCharge => ({ key, capacity, refillPerSecond, amount });

/** The bucket's arithmetic, written out: what every backing must return to the last bit. */
const refilled = (tokens: number, elapsedMs: number, capacity: number, refillPerSecond: number): number =>
  Math.min(capacity, tokens + (elapsedMs / 1000) * refillPerSecond);

export function rateLimitStoreContract(name: string, factory: SharedStateFactory): void {
  const withStore = (run: (store: RateLimitStore) => Promise<void>): Promise<void> => withState(factory, ({ state }) => run(state.rateLimits));

  describe(`RateLimitStore contract: ${name}`, () => {
    test('a bucket seen for the first time starts full', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.consume([charge('a', 5, 1, 1)], t0), { allowed: true, retryAfterSeconds: 0, remaining: [4] });
      }));

    test('an empty bucket refuses, taking nothing, with the exact wait for the deficit', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.consume([charge('a', 3, 0.5, 3)], t0), { allowed: true, retryAfterSeconds: 0, remaining: [0] });
        assert.deepEqual(await store.consume([charge('a', 3, 0.5, 1)], t0), { allowed: false, retryAfterSeconds: 2, remaining: [0] });
        assert.deepEqual(await store.consume([charge('a', 3, 0.5, 2)], t0), { allowed: false, retryAfterSeconds: 4, remaining: [0] });
      }));

    test('tokens refill continuously, in fractions, exactly as the formula says', () =>
      withStore(async (store) => {
        const perSecond = 10 / 60;
        await store.consume([charge('a', 10, perSecond, 10)], t0);
        const level = refilled(0, 777, 10, perSecond);
        assert.deepEqual(await store.consume([charge('a', 10, perSecond, 1)], t0 + 777), {
          allowed: false,
          retryAfterSeconds: (1 - level) / perSecond,
          remaining: [level],
        });
        const later = refilled(level, 6_000 - 777, 10, perSecond);
        assert.deepEqual(await store.consume([charge('a', 10, perSecond, 1)], t0 + 6_000), { allowed: true, retryAfterSeconds: 0, remaining: [later - 1] });
      }));

    test('waiting exactly retryAfterSeconds is enough', () =>
      withStore(async (store) => {
        await store.consume([charge('a', 4, 2, 4)], t0);
        const refused = await store.consume([charge('a', 4, 2, 3)], t0 + 250);
        assert.equal(refused.allowed, false);
        assert.equal(refused.retryAfterSeconds, 1.25);
        assert.deepEqual(await store.consume([charge('a', 4, 2, 3)], t0 + 250 + 1_250), { allowed: true, retryAfterSeconds: 0, remaining: [0] });
      }));

    test('a bucket never refills above its capacity', () =>
      withStore(async (store) => {
        await store.consume([charge('a', 5, 1, 2)], t0);
        assert.deepEqual((await store.consume([charge('a', 5, 1, 1)], t0 + 3_600_000)).remaining, [4]);
      }));

    test('several buckets: all are charged or none is', () =>
      withStore(async (store) => {
        await store.consume([charge('b', 1, 1, 1)], t0);
        const refused = await store.consume([charge('a', 5, 1, 1), charge('b', 1, 1, 1)], t0);
        assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 1, remaining: [5, 0] });
        assert.deepEqual(await store.consume([charge('a', 5, 1, 1), charge('b', 1, 1, 1)], t0 + 1_000), { allowed: true, retryAfterSeconds: 0, remaining: [4, 0] });
      }));

    test('the wait is the longest over the refused buckets', () =>
      withStore(async (store) => {
        await store.consume([charge('fast', 2, 1, 2), charge('slow', 1, 0.25, 1), charge('spare', 9, 1, 0)], t0);
        const refused = await store.consume([charge('spare', 9, 1, 1), charge('fast', 2, 1, 2), charge('slow', 1, 0.25, 1)], t0);
        assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 4, remaining: [9, 0, 0] });
      }));

    test('a charge no bucket can ever cover waits for ever', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.consume([charge('a', 5, 1, 6)], t0), { allowed: false, retryAfterSeconds: Number.POSITIVE_INFINITY, remaining: [5] });
        await store.consume([charge('quota', 2, 0, 2)], t0);
        assert.deepEqual(await store.consume([charge('quota', 2, 0, 1)], t0 + 86_400_000), { allowed: false, retryAfterSeconds: Number.POSITIVE_INFINITY, remaining: [0] });
      }));

    test('a key charged twice in one call takes both charges, or neither', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.consume([charge('a', 3, 1, 2), charge('a', 3, 1, 2)], t0), { allowed: false, retryAfterSeconds: 1, remaining: [3, 3] });
        assert.deepEqual(await store.consume([charge('a', 3, 1, 1), charge('a', 3, 1, 2)], t0), { allowed: true, retryAfterSeconds: 0, remaining: [0, 0] });
      }));

    test('buckets are independent', () =>
      withStore(async (store) => {
        await store.consume([charge('a', 1, 1, 1)], t0);
        assert.deepEqual((await store.consume([charge('b', 1, 1, 1)], t0)).allowed, true);
        assert.deepEqual((await store.consume([charge('a', 1, 1, 1)], t0)).allowed, false);
      }));

    test('adjust gives tokens back, never above capacity', () =>
      withStore(async (store) => {
        await store.consume([charge('a', 10, 1, 8)], t0);
        await store.adjust([charge('a', 10, 1, 3)], t0);
        assert.deepEqual((await store.consume([charge('a', 10, 1, 0)], t0)).remaining, [5]);
        await store.adjust([charge('a', 10, 1, 50)], t0);
        assert.deepEqual((await store.consume([charge('a', 10, 1, 0)], t0)).remaining, [10]);
      }));

    test('a negative adjust may leave the bucket below zero, and the next caller waits for it', () =>
      withStore(async (store) => {
        await store.consume([charge('a', 10, 1, 10)], t0);
        await store.adjust([charge('a', 10, 1, -5)], t0);
        assert.deepEqual(await store.consume([charge('a', 10, 1, 1)], t0), { allowed: false, retryAfterSeconds: 6, remaining: [-5] });
        assert.deepEqual(await store.consume([charge('a', 10, 1, 0)], t0 + 4_000), { allowed: false, retryAfterSeconds: 1, remaining: [-1] });
        assert.equal((await store.consume([charge('a', 10, 1, 1)], t0 + 6_000)).allowed, true);
      }));

    test('adjust refills first, and on a bucket not seen yet starts from full', () =>
      withStore(async (store) => {
        await store.adjust([charge('fresh', 10, 1, -4)], t0);
        assert.deepEqual((await store.consume([charge('fresh', 10, 1, 0)], t0)).remaining, [6]);
        await store.consume([charge('a', 10, 2, 10)], t0);
        await store.adjust([charge('a', 10, 2, 1)], t0 + 1_500);
        assert.deepEqual((await store.consume([charge('a', 10, 2, 0)], t0 + 1_500)).remaining, [4]);
      }));

    test('a clock that steps back refills nothing and loses nothing', () =>
      withStore(async (store) => {
        await store.consume([charge('a', 10, 1, 5)], t0);
        assert.deepEqual((await store.consume([charge('a', 10, 1, 1)], t0 - 3_000)).remaining, [4]);
        assert.deepEqual((await store.consume([charge('a', 10, 1, 1)], t0 + 1_000)).remaining, [4]);
      }));

    test('a lowered capacity clamps the bucket', () =>
      withStore(async (store) => {
        await store.consume([charge('a', 100, 1, 10)], t0);
        assert.deepEqual((await store.consume([charge('a', 20, 1, 1)], t0)).remaining, [19]);
      }));

    test('no charges: allowed, nothing remaining', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.consume([], t0), { allowed: true, retryAfterSeconds: 0, remaining: [] });
        await store.adjust([], t0);
      }));

    test('malformed charges are refused with a RangeError and change nothing', () =>
      withStore(async (store) => {
        const bad: BucketCharge[] = [
          charge('', 5, 1, 1),
          charge('a', 0, 1, 1),
          charge('a', Number.NaN, 1, 1),
          charge('a', Number.POSITIVE_INFINITY, 1, 1),
          charge('a', 5, -1, 1),
          charge('a', 5, 1, -1),
          charge('a', 5, 1, Number.NaN),
        ];
        for (const item of bad) await assert.rejects(store.consume([charge('a', 5, 1, 1), item], t0), RangeError);
        await assert.rejects(store.consume([charge('a', 5, 1, 1)], Number.NaN), RangeError);
        await assert.rejects(store.consume([charge('a', 5, 1, 1)], -1), RangeError);
        await assert.rejects(store.adjust([charge('a', 5, 1, Number.POSITIVE_INFINITY)], t0), RangeError);
        await assert.rejects(store.consume('a' as unknown as BucketCharge[], t0), RangeError);
        await assert.rejects(store.consume([null as unknown as BucketCharge], t0), RangeError);
        assert.deepEqual((await store.consume([charge('a', 5, 1, 0)], t0)).remaining, [5]);
      }));

    test('two connections hammering one bucket: exactly its capacity gets through', () =>
      withState(factory, async ({ state, peer }) => {
        const other = peer === undefined ? state : await peer();
        const attempts = Array.from({ length: 120 }, (_, index) =>
          (index % 2 === 0 ? state : other).rateLimits.consume([charge('shared', 50, 1, 1), charge(`own-${index % 2}`, 1000, 1, 1)], t0),
        );
        const results = await Promise.all(attempts);
        assert.equal(results.filter((result) => result.allowed).length, 50);
        assert.deepEqual((await other.rateLimits.consume([charge('shared', 50, 1, 0)], t0)).remaining, [0]);
        // Only the admitted calls took from their own buckets: 50 tokens between the two.
        const [own0 = 0, own1 = 0] = (await state.rateLimits.consume([charge('own-0', 1000, 1, 0), charge('own-1', 1000, 1, 0)], t0)).remaining;
        assert.equal(2000 - own0 - own1, 50);
      }));
  });
}
