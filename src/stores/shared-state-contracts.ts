/**
 * Shared state for limits and breakers. Each has an in-memory (one process), SQLite (several
 * `--workers` on one host) and Redis (several hosts) implementation, held to one contract suite.
 * All times are epoch milliseconds passed in by the caller (`now`), so tests control the clock.
 * Malformed input (a non-finite or negative `now`, an empty key, a non-positive capacity, ...) is
 * rejected with a RangeError, which never means the backing is down.
 */

/** A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. */
export interface BucketSpec {
  /** Unique name, e.g. `key:vk_123:rpm` or `deployment:openai/gpt-4o:tpm`. */
  key: string;
  capacity: number;
  refillPerSecond: number;
}

export interface BucketCharge extends BucketSpec {
  /** Tokens to take (requests: 1; tokens: the estimate). */
  amount: number;
}

export interface ConsumeResult {
  allowed: boolean;
  /**
   * When refused: seconds until every bucket could cover its charge, the largest over the refused
   * buckets of deficit / refillPerSecond. Infinity when one never can (it does not refill, or the
   * charge exceeds its capacity). 0 when allowed.
   */
  retryAfterSeconds: number;
  /**
   * Tokens left in each bucket after the call, in the order given; fractional, and below zero after a
   * negative adjust. When refused nothing was taken, so these are the buckets' refilled levels.
   */
  remaining: number[];
}

export interface RateLimitStore {
  /**
   * Takes each charge from its bucket, all or none, atomically (across processes and hosts for the
   * shared implementations). A bucket seen for the first time starts full. A bucket below zero refuses
   * every charge, even of 0, until it refills. A key charged twice in one call takes both charges.
   * A `now` earlier than the bucket's last update refills nothing.
   */
  consume(charges: readonly BucketCharge[], now: number): Promise<ConsumeResult>;
  /**
   * Settles an estimate: gives back `amount` tokens (a negative amount takes more, and may leave the
   * bucket below zero, so the next caller waits). Never exceeds capacity.
   */
  adjust(charges: readonly BucketCharge[], now: number): Promise<void>;
}

/** A slot of a concurrency limit, held until released or until its lease expires (a crashed holder). */
export interface ConcurrencyLease {
  key: string;
  id: string;
}

export interface ConcurrencyStore {
  /**
   * Takes a slot when fewer than `limit` unexpired leases are held; undefined when full. A lease
   * expires at `now + leaseMs` (from then on it no longer counts).
   */
  acquire(key: string, limit: number, leaseMs: number, now: number): Promise<ConcurrencyLease | undefined>;
  /** Frees the slot. Releasing twice, or a lease that expired or was never issued, does nothing. */
  release(lease: ConcurrencyLease): Promise<void>;
}

export type CircuitPhase = 'closed' | 'open' | 'half-open';

export interface CircuitState {
  phase: CircuitPhase;
  /** When the circuit opened (epoch ms); undefined when closed. */
  openedAt?: number;
  /** Consecutive failures since the last success. */
  consecutiveFailures: number;
  /** Outcomes in the rolling window (ten slices of windowMs / 10: an outcome leaves it 0.9–1 × windowMs later). */
  windowSuccesses: number;
  windowFailures: number;
}

export interface CircuitPolicy {
  /** Open after this many consecutive failures. */
  consecutiveFailures: number;
  /** ...or when the failure rate over the window reaches this (0..1), with at least `minimumRequests`. */
  failureRateThreshold: number;
  minimumRequests: number;
  windowMs: number;
  /** How long an open circuit stays open before letting probes through. */
  openMs: number;
  /** Probes allowed at once while half-open. A probe that has not reported within `openMs` frees its slot. */
  halfOpenProbes: number;
}

export interface CircuitStore {
  /** The deployment's state, with `open` turned into `half-open` once `openMs` has passed. */
  read(deployment: string, policy: CircuitPolicy, now: number): Promise<CircuitState>;
  /**
   * Asks to send a request: true when closed, or when half-open and a probe slot is free (taking it).
   */
  admit(deployment: string, policy: CircuitPolicy, now: number): Promise<boolean>;
  /**
   * Records an outcome atomically and applies the policy (opening, closing). Returns the new state.
   * Half-open: a success closes and resets every counter, a failure opens again from `now`. While open
   * (before openMs), outcomes are counted but change no phase: they come from calls admitted earlier.
   */
  record(deployment: string, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): Promise<CircuitState>;
  /** Every deployment with a recorded outcome (and not idle past the backing's expiry), for the admin API. */
  list(policy: CircuitPolicy, now: number): Promise<Record<string, CircuitState>>;
}
