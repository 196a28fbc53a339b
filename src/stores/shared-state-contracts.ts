/**
 * Shared state for limits and breakers. Each has an in-memory (one process), SQLite (several
 * `--workers` on one host) and Redis (several hosts) implementation, held to one contract suite.
 * All times are epoch milliseconds passed in by the caller (`now`), so tests control the clock.
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
  /** When refused: seconds until every bucket could cover its charge. 0 when allowed. */
  retryAfterSeconds: number;
  /** Tokens left in each bucket after the call, in the order given. */
  remaining: number[];
}

export interface RateLimitStore {
  /**
   * Takes each charge from its bucket, all or none, atomically (across processes and hosts for the
   * shared implementations). A bucket seen for the first time starts full.
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
  /** Takes a slot when fewer than `limit` unexpired leases are held; undefined when full. */
  acquire(key: string, limit: number, leaseMs: number, now: number): Promise<ConcurrencyLease | undefined>;
  release(lease: ConcurrencyLease): Promise<void>;
}

export type CircuitPhase = 'closed' | 'open' | 'half-open';

export interface CircuitState {
  phase: CircuitPhase;
  /** When the circuit opened (epoch ms); undefined when closed. */
  openedAt?: number;
  /** Consecutive failures since the last success. */
  consecutiveFailures: number;
  /** Outcomes in the rolling window. */
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
  /** Probes allowed at once while half-open. */
  halfOpenProbes: number;
}

export interface CircuitStore {
  /** The deployment's state, with `open` turned into `half-open` once `openMs` has passed. */
  read(deployment: string, policy: CircuitPolicy, now: number): Promise<CircuitState>;
  /**
   * Asks to send a request: true when closed, or when half-open and a probe slot is free (taking it).
   */
  admit(deployment: string, policy: CircuitPolicy, now: number): Promise<boolean>;
  /** Records an outcome atomically and applies the policy (opening, closing). Returns the new state. */
  record(deployment: string, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): Promise<CircuitState>;
  /** Every deployment's state, for the admin API. */
  list(policy: CircuitPolicy, now: number): Promise<Record<string, CircuitState>>;
}
