import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CircuitPolicy, CircuitStore } from '../../src/stores/shared-state-contracts.ts';
import { startTime as t0, withState, type SharedStateFactory } from './shared-state.contract.ts';

/** Rate-based opening made unreachable, so a test sees only the consecutive rule (and the other way round). */
const policy: CircuitPolicy = { consecutiveFailures: 3, failureRateThreshold: 1, minimumRequests: 1000, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 1 };
const ratePolicy: CircuitPolicy = { ...policy, consecutiveFailures: 1000, failureRateThreshold: 0.5, minimumRequests: 4 };
const closed = { phase: 'closed', consecutiveFailures: 0, windowSuccesses: 0, windowFailures: 0 } as const;

const recordAll = async (store: CircuitStore, outcomes: readonly ('success' | 'failure')[], usePolicy: CircuitPolicy, now: number) => {
  let last;
  for (const outcome of outcomes) last = await store.record('d', outcome, usePolicy, now);
  return last;
};

export function circuitStoreContract(name: string, factory: SharedStateFactory): void {
  const withStore = (run: (store: CircuitStore) => Promise<void>): Promise<void> => withState(factory, ({ state }) => run(state.circuits));

  describe(`CircuitStore contract: ${name}`, () => {
    test('an unknown deployment is closed, admitted and not listed', () =>
      withStore(async (store) => {
        assert.deepEqual(await store.read('d', policy, t0), closed);
        assert.equal(await store.admit('d', policy, t0), true);
        assert.deepEqual(await store.list(policy, t0), {});
      }));

    test('consecutive failures open the circuit, which then refuses', () =>
      withStore(async (store) => {
        assert.deepEqual(await recordAll(store, ['failure', 'failure'], policy, t0), { ...closed, consecutiveFailures: 2, windowFailures: 2 });
        assert.deepEqual(await store.record('d', 'failure', policy, t0 + 10), { phase: 'open', openedAt: t0 + 10, consecutiveFailures: 3, windowSuccesses: 0, windowFailures: 3 });
        assert.equal(await store.admit('d', policy, t0 + 11), false);
        assert.deepEqual(await store.read('d', policy, t0 + 11), { phase: 'open', openedAt: t0 + 10, consecutiveFailures: 3, windowSuccesses: 0, windowFailures: 3 });
      }));

    test('a success breaks a run of failures but stays in the window', () =>
      withStore(async (store) => {
        assert.deepEqual(await recordAll(store, ['failure', 'failure', 'success', 'failure', 'failure'], policy, t0), {
          ...closed,
          consecutiveFailures: 2,
          windowSuccesses: 1,
          windowFailures: 4,
        });
      }));

    test('the failure rate opens the circuit once the window holds minimumRequests outcomes', () =>
      withStore(async (store) => {
        assert.deepEqual(await recordAll(store, ['failure', 'failure', 'success'], ratePolicy, t0), { ...closed, windowSuccesses: 1, windowFailures: 2 });
        const opened = await store.record('d', 'failure', ratePolicy, t0);
        assert.equal(opened?.phase, 'open');
        assert.equal(opened?.openedAt, t0);
      }));

    test('below the failure rate the circuit stays closed', () =>
      withStore(async (store) => {
        const state = await recordAll(store, ['success', 'success', 'failure', 'success', 'failure', 'success', 'success'], ratePolicy, t0);
        assert.deepEqual(state, { ...closed, consecutiveFailures: 0, windowSuccesses: 5, windowFailures: 2 });
      }));

    test('outcomes leave the rolling window after windowMs', () =>
      withStore(async (store) => {
        await recordAll(store, ['failure', 'success'], ratePolicy, t0);
        await store.record('d', 'success', ratePolicy, t0 + 5_000);
        assert.deepEqual(await store.read('d', ratePolicy, t0 + 9_999), { ...closed, windowSuccesses: 2, windowFailures: 1 });
        assert.deepEqual(await store.read('d', ratePolicy, t0 + 10_000), { ...closed, windowSuccesses: 1, windowFailures: 0 });
        // With the old failure still counted this would be 3 failures in 5, enough to open; without it, 2 in 3 is below minimumRequests.
        await recordAll(store, ['failure', 'failure'], ratePolicy, t0 + 10_000);
        assert.equal((await store.read('d', ratePolicy, t0 + 10_000)).phase, 'closed');
      }));

    test('an open circuit reads half-open once openMs has passed', () =>
      withStore(async (store) => {
        await recordAll(store, ['failure', 'failure', 'failure'], policy, t0);
        assert.equal((await store.read('d', policy, t0 + 4_999)).phase, 'open');
        assert.equal(await store.admit('d', policy, t0 + 4_999), false);
        assert.deepEqual(await store.read('d', policy, t0 + 5_000), { phase: 'half-open', openedAt: t0, consecutiveFailures: 3, windowSuccesses: 0, windowFailures: 3 });
      }));

    test('half-open admits at most halfOpenProbes at once', () =>
      withStore(async (store) => {
        const twoProbes = { ...policy, halfOpenProbes: 2 };
        await recordAll(store, ['failure', 'failure', 'failure'], twoProbes, t0);
        assert.equal(await store.admit('d', twoProbes, t0 + 5_000), true);
        assert.equal(await store.admit('d', twoProbes, t0 + 5_001), true);
        assert.equal(await store.admit('d', twoProbes, t0 + 5_002), false);
        assert.equal((await store.read('d', twoProbes, t0 + 5_002)).phase, 'half-open');
      }));

    test('a probe that succeeds closes the circuit and resets its counters', () =>
      withStore(async (store) => {
        await recordAll(store, ['failure', 'failure', 'failure'], policy, t0);
        assert.equal(await store.admit('d', policy, t0 + 6_000), true);
        assert.deepEqual(await store.record('d', 'success', policy, t0 + 6_100), closed);
        assert.equal(await store.admit('d', policy, t0 + 6_200), true);
        assert.equal(await store.admit('d', policy, t0 + 6_200), true);
        assert.equal((await store.record('d', 'failure', policy, t0 + 6_300)).phase, 'closed');
      }));

    test('a probe that fails opens the circuit again, from now', () =>
      withStore(async (store) => {
        await recordAll(store, ['failure', 'failure', 'failure'], policy, t0);
        assert.equal(await store.admit('d', policy, t0 + 6_000), true);
        assert.deepEqual(await store.record('d', 'failure', policy, t0 + 6_100), { phase: 'open', openedAt: t0 + 6_100, consecutiveFailures: 4, windowSuccesses: 0, windowFailures: 4 });
        assert.equal(await store.admit('d', policy, t0 + 11_099), false);
        assert.equal(await store.admit('d', policy, t0 + 11_100), true);
      }));

    test('a probe that never reports frees its slot after openMs', () =>
      withStore(async (store) => {
        await recordAll(store, ['failure', 'failure', 'failure'], policy, t0);
        assert.equal(await store.admit('d', policy, t0 + 5_000), true);
        assert.equal(await store.admit('d', policy, t0 + 9_999), false);
        assert.equal(await store.admit('d', policy, t0 + 10_000), true);
      }));

    test('outcomes reported while open are counted but change no phase', () =>
      withStore(async (store) => {
        await recordAll(store, ['failure', 'failure', 'failure'], policy, t0);
        assert.deepEqual(await store.record('d', 'success', policy, t0 + 100), { phase: 'open', openedAt: t0, consecutiveFailures: 0, windowSuccesses: 1, windowFailures: 3 });
        assert.deepEqual(await recordAll(store, ['failure', 'failure', 'failure', 'failure'], policy, t0 + 200), {
          phase: 'open',
          openedAt: t0,
          consecutiveFailures: 4,
          windowSuccesses: 1,
          windowFailures: 7,
        });
      }));

    test('list shows every deployment with an outcome, whatever its name', () =>
      withStore(async (store) => {
        await recordAll(store, ['failure', 'failure', 'failure'], policy, t0);
        await store.record('openai/gpt-4o:eu', 'success', policy, t0);
        await store.record('__proto__', 'failure', policy, t0);
        await store.admit('only-admitted', policy, t0);
        const listed = await store.list(policy, t0 + 5_000);
        assert.deepEqual(Object.keys(listed).toSorted(), ['__proto__', 'd', 'openai/gpt-4o:eu']);
        assert.equal(Object.getPrototypeOf(listed), Object.prototype);
        assert.deepEqual(listed.d, { phase: 'half-open', openedAt: t0, consecutiveFailures: 3, windowSuccesses: 0, windowFailures: 3 });
        assert.deepEqual(listed['openai/gpt-4o:eu'], { ...closed, windowSuccesses: 1 });
        assert.deepEqual(listed.__proto__, { ...closed, consecutiveFailures: 1, windowFailures: 1 });
      }));

    test('malformed input is refused with a RangeError', () =>
      withStore(async (store) => {
        await assert.rejects(store.read('', policy, t0), RangeError);
        await assert.rejects(store.admit('d', { ...policy, halfOpenProbes: 0 }, t0), RangeError);
        await assert.rejects(store.admit('d', { ...policy, failureRateThreshold: 1.5 }, t0), RangeError);
        await assert.rejects(store.record('d', 'failure', { ...policy, windowMs: 0 }, t0), RangeError);
        await assert.rejects(store.record('d', 'failure', { ...policy, consecutiveFailures: 0.5 }, t0), RangeError);
        await assert.rejects(store.record('d', 'failure', { ...policy, openMs: -1 }, t0), RangeError);
        await assert.rejects(store.record('d', 'failure', { ...policy, minimumRequests: Number.NaN }, t0), RangeError);
        await assert.rejects(store.record('d', 'timeout' as 'failure', policy, t0), RangeError);
        await assert.rejects(store.record('d', 'failure', policy, Number.NaN), RangeError);
        await assert.rejects(store.list(null as unknown as CircuitPolicy, t0), RangeError);
        assert.deepEqual(await store.list(policy, t0), {});
      }));

    test('a circuit opened through one connection is open for another, and probes are shared', () =>
      withState(factory, async ({ state, peer }) => {
        const other = peer === undefined ? state : await peer();
        await Promise.all([0, 1, 2].map((index) => (index === 1 ? other : state).circuits.record('d', 'failure', policy, t0)));
        assert.equal((await other.circuits.read('d', policy, t0)).phase, 'open');
        assert.equal(await other.circuits.admit('d', policy, t0), false);
        const admitted = await Promise.all([state, other, state, other].map((side) => side.circuits.admit('d', policy, t0 + 5_000)));
        assert.equal(admitted.filter(Boolean).length, 1);
        await state.circuits.record('d', 'success', policy, t0 + 5_100);
        assert.deepEqual(await other.circuits.read('d', policy, t0 + 5_100), closed);
        assert.deepEqual(Object.keys(await other.circuits.list(policy, t0 + 5_100)), ['d']);
      }));
  });
}
