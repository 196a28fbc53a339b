import type { CircuitStore, ConcurrencyStore, RateLimitStore } from '../shared-state-contracts.ts';

/** The three shared-state stores of one backing (memory, SQLite or Redis). */
export interface SharedStateStores {
  rateLimits: RateLimitStore;
  concurrency: ConcurrencyStore;
  circuits: CircuitStore;
}

export interface SharedState extends SharedStateStores {
  /** Frees what the state owns (a Redis connection). A SQLite database passed in stays open: its opener closes it. */
  close(): Promise<void>;
}

/** Where a resilient state is keeping its limits and breakers right now. */
export type SharedStateStatus = 'redis' | 'local';

/**
 * How long an idle Redis key outlives the moment it stops mattering (a bucket full again, a lease
 * expired, a window past). Callers pass their own `now`, so this covers the skew between their clocks
 * and the Redis server's.
 */
export const idleGraceMs = 60_000;

/** How many slices the circuit breaker's rolling window is cut into. */
export const windowSlices = 10;
