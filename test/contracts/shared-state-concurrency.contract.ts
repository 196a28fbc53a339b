import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConcurrencyLease, ConcurrencyStore } from '../../src/stores/shared-state-contracts.ts';
import { startTime as t0, withState, type SharedStateFactory } from './shared-state.contract.ts';

export function concurrencyStoreContract(name: string, factory: SharedStateFactory): void {
  const withStore = (run: (store: ConcurrencyStore) => Promise<void>): Promise<void> => withState(factory, ({ state }) => run(state.concurrency));

  describe(`ConcurrencyStore contract: ${name}`, () => {
    test('hands out slots up to the limit, then none', () =>
      withStore(async (store) => {
        const first = await store.acquire('k', 2, 60_000, t0);
        const second = await store.acquire('k', 2, 60_000, t0);
        assert.equal(first?.key, 'k');
        assert.equal(second?.key, 'k');
        assert.notEqual(first?.id, second?.id);
        assert.equal(await store.acquire('k', 2, 60_000, t0), undefined);
      }));

    test('a released slot can be taken again; releasing twice or an unknown lease is harmless', () =>
      withStore(async (store) => {
        const lease = await store.acquire('k', 1, 60_000, t0);
        assert.ok(lease);
        await store.release(lease);
        await store.release(lease);
        await store.release({ key: 'k', id: 'never-issued' });
        await store.release({ key: 'unknown', id: 'x' });
        const again = await store.acquire('k', 1, 60_000, t0);
        assert.ok(again);
        assert.equal(await store.acquire('k', 1, 60_000, t0), undefined);
      }));

    test('a lease that is never released expires after leaseMs, not before', () =>
      withStore(async (store) => {
        assert.ok(await store.acquire('k', 1, 30_000, t0));
        assert.equal(await store.acquire('k', 1, 30_000, t0 + 29_999), undefined);
        assert.ok(await store.acquire('k', 1, 30_000, t0 + 30_000));
      }));

    test('releasing an expired lease does not free a slot held by someone else', () =>
      withStore(async (store) => {
        const stale = await store.acquire('k', 1, 1_000, t0);
        assert.ok(stale);
        assert.ok(await store.acquire('k', 1, 1_000, t0 + 1_000));
        await store.release(stale);
        assert.equal(await store.acquire('k', 1, 1_000, t0 + 1_001), undefined);
      }));

    test('keys are independent, and a limit of zero admits nothing', () =>
      withStore(async (store) => {
        assert.ok(await store.acquire('a', 1, 60_000, t0));
        assert.ok(await store.acquire('b', 1, 60_000, t0));
        assert.equal(await store.acquire('c', 0, 60_000, t0), undefined);
      }));

    test('a lowered limit refuses until enough leases end', () =>
      withStore(async (store) => {
        const leases = [await store.acquire('k', 3, 60_000, t0), await store.acquire('k', 3, 60_000, t0), await store.acquire('k', 3, 60_000, t0)];
        assert.equal(await store.acquire('k', 2, 60_000, t0), undefined);
        for (const lease of leases.slice(0, 2)) if (lease) await store.release(lease);
        assert.ok(await store.acquire('k', 2, 60_000, t0));
      }));

    test('malformed requests are refused with a RangeError', () =>
      withStore(async (store) => {
        await assert.rejects(store.acquire('', 1, 1_000, t0), RangeError);
        await assert.rejects(store.acquire('k', -1, 1_000, t0), RangeError);
        await assert.rejects(store.acquire('k', 1.5, 1_000, t0), RangeError);
        await assert.rejects(store.acquire('k', 1, 0, t0), RangeError);
        await assert.rejects(store.acquire('k', 1, Number.NaN, t0), RangeError);
        await assert.rejects(store.acquire('k', 1, 1_000, Number.POSITIVE_INFINITY), RangeError);
        await assert.rejects(store.release({ key: 'k' } as ConcurrencyLease), RangeError);
        await assert.rejects(store.release(null as unknown as ConcurrencyLease), RangeError);
        assert.ok(await store.acquire('k', 1, 1_000, t0));
      }));

    test('two connections racing for slots: exactly the limit is handed out, and either can release', () =>
      withState(factory, async ({ state, peer }) => {
        const other = peer === undefined ? state : await peer();
        const leases = await Promise.all(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? state : other).concurrency.acquire('k', 7, 60_000, t0)));
        const held = leases.filter((lease) => lease !== undefined);
        assert.equal(held.length, 7);
        assert.equal(new Set(held.map((lease) => lease.id)).size, 7);
        await other.concurrency.release(held[0] as ConcurrencyLease);
        assert.ok(await state.concurrency.acquire('k', 7, 60_000, t0));
        assert.equal(await other.concurrency.acquire('k', 7, 60_000, t0), undefined);
      }));
  });
}
