import type { BucketCharge, CircuitPolicy, ConcurrencyLease } from '../shared-state-contracts.ts';
import type { FallbackSwitch } from './fallback-switch.ts';
import type { SharedStateStores } from './shared-state.ts';
import { assertLease } from './validate-shared-state-input.ts';

/** Marks a lease the local state issued, so its release goes back there whatever the status is by then. */
const localLeasePrefix = 'local:';
/** Releases of Redis leases kept while Redis is down, sent when it is back (beyond this, leases just expire). */
const maxPendingReleases = 10_000;

export interface FallbackStores extends SharedStateStores {
  /** Sends the releases kept while Redis was down; call once it is back. Errors are dropped: leases expire anyway. */
  releasePending(): void;
}

/**
 * The three stores, each call answered by `remote` or `local` as `fallbackSwitch` decides. Policy while
 * local: limits are enforced per process, breakers are per process, and what was settled locally
 * (an adjust) stays local. A lease keeps the side that issued it.
 */
export function createFallbackStores(remote: SharedStateStores, local: SharedStateStores, fallbackSwitch: FallbackSwitch): FallbackStores {
  let pending: ConcurrencyLease[] = [];
  return {
    rateLimits: {
      consume: (charges: readonly BucketCharge[], now: number) =>
        fallbackSwitch.run(
          () => remote.rateLimits.consume(charges, now),
          () => local.rateLimits.consume(charges, now),
        ),
      adjust: (charges: readonly BucketCharge[], now: number) =>
        fallbackSwitch.run(
          () => remote.rateLimits.adjust(charges, now),
          () => local.rateLimits.adjust(charges, now),
        ),
    },
    concurrency: {
      acquire: (key: string, limit: number, leaseMs: number, now: number) =>
        fallbackSwitch.run(
          () => remote.concurrency.acquire(key, limit, leaseMs, now),
          async () => {
            const lease = await local.concurrency.acquire(key, limit, leaseMs, now);
            return lease === undefined ? undefined : { key: lease.key, id: localLeasePrefix + lease.id };
          },
        ),
      release: async (lease: ConcurrencyLease) => {
        assertLease(lease);
        if (lease.id.startsWith(localLeasePrefix)) return local.concurrency.release({ key: lease.key, id: lease.id.slice(localLeasePrefix.length) });
        return fallbackSwitch.run(
          () => remote.concurrency.release(lease),
          async () => {
            if (pending.length < maxPendingReleases) pending.push(lease);
          },
        );
      },
    },
    circuits: {
      read: (deployment: string, policy: CircuitPolicy, now: number) =>
        fallbackSwitch.run(
          () => remote.circuits.read(deployment, policy, now),
          () => local.circuits.read(deployment, policy, now),
        ),
      admit: (deployment: string, policy: CircuitPolicy, now: number) =>
        fallbackSwitch.run(
          () => remote.circuits.admit(deployment, policy, now),
          () => local.circuits.admit(deployment, policy, now),
        ),
      record: (deployment: string, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number) =>
        fallbackSwitch.run(
          () => remote.circuits.record(deployment, outcome, policy, now),
          () => local.circuits.record(deployment, outcome, policy, now),
        ),
      list: (policy: CircuitPolicy, now: number) =>
        fallbackSwitch.run(
          () => remote.circuits.list(policy, now),
          () => local.circuits.list(policy, now),
        ),
    },
    releasePending: () => {
      const releases = pending;
      pending = [];
      for (const lease of releases) remote.concurrency.release(lease).catch(() => {});
    },
  };
}
