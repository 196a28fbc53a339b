import type { ConcurrencyLease, ConcurrencyStore } from '../shared-state-contracts.ts';
import { assertLease, assertLeaseRequest, assertNow } from './validate-shared-state-input.ts';

const dropExpired = (held: Map<string, number>, now: number): void => {
  for (const [id, expiresAt] of held) if (expiresAt <= now) held.delete(id);
};

/** How many acquisitions between sweeps of expired leases under every key. */
const sweepEvery = 4096;

/** Concurrency leases in this process's memory. A lease has expired when `now >= expiresAt`. */
export class MemoryConcurrencyStore implements ConcurrencyStore {
  /** key → lease id → expiresAt. */
  readonly #leases = new Map<string, Map<string, number>>();
  #nextId = 0;
  #acquiresSinceSweep = 0;

  async acquire(key: string, limit: number, leaseMs: number, now: number): Promise<ConcurrencyLease | undefined> {
    assertLeaseRequest(key, limit, leaseMs);
    assertNow(now);
    if (++this.#acquiresSinceSweep >= sweepEvery) this.#sweep(now);
    let held = this.#leases.get(key);
    if (held !== undefined) dropExpired(held, now);
    if ((held?.size ?? 0) >= limit) return undefined;
    if (held === undefined) {
      held = new Map();
      this.#leases.set(key, held);
    }
    const id = String(++this.#nextId);
    held.set(id, now + leaseMs);
    return { key, id };
  }

  #sweep(now: number): void {
    this.#acquiresSinceSweep = 0;
    for (const [key, held] of this.#leases) {
      dropExpired(held, now);
      if (held.size === 0) this.#leases.delete(key);
    }
  }

  async release(lease: ConcurrencyLease): Promise<void> {
    assertLease(lease);
    const held = this.#leases.get(lease.key);
    if (held === undefined) return;
    held.delete(lease.id);
    if (held.size === 0) this.#leases.delete(lease.key);
  }
}
