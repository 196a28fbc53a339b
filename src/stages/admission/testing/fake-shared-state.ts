import type { BucketCharge, ConcurrencyLease, ConcurrencyStore, ConsumeResult, RateLimitStore } from '../../../stores/shared-state-contracts.ts';

/**
 * Small in-memory stand-ins for the shared-state contracts, enough to test admission against: token
 * buckets that start full and refill continuously, all-or-none; leases that expire. The real memory,
 * SQLite and Redis stores live in src/stores/shared-state/ and have their own contract suite.
 */
export interface FakeRateLimitStore extends RateLimitStore {
  /** A bucket's tokens as last brought up to date (tests keep time still), or undefined if never charged. */
  level(key: string): number | undefined;
  calls: { consume: number; adjust: number };
}

export const createFakeRateLimitStore = (): FakeRateLimitStore => {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  const calls = { consume: 0, adjust: 0 };
  const refilled = (charge: BucketCharge, now: number): { tokens: number; updatedAt: number } => {
    const bucket = buckets.get(charge.key) ?? { tokens: charge.capacity, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    const next = { tokens: Math.min(charge.capacity, bucket.tokens + elapsedSeconds * charge.refillPerSecond), updatedAt: Math.max(now, bucket.updatedAt) };
    buckets.set(charge.key, next);
    return next;
  };
  return {
    calls,
    async consume(charges, now): Promise<ConsumeResult> {
      calls.consume += 1;
      const levels = charges.map((charge) => refilled(charge, now));
      let retryAfterSeconds = 0;
      charges.forEach((charge, index) => {
        const deficit = charge.amount - (levels[index]?.tokens ?? 0);
        if (deficit > 0) retryAfterSeconds = Math.max(retryAfterSeconds, deficit / charge.refillPerSecond);
      });
      if (retryAfterSeconds > 0) return { allowed: false, retryAfterSeconds, remaining: levels.map((level) => level.tokens) };
      charges.forEach((charge, index) => {
        const level = levels[index];
        if (level !== undefined) level.tokens -= charge.amount;
      });
      return { allowed: true, retryAfterSeconds: 0, remaining: levels.map((level) => level.tokens) };
    },
    async adjust(charges, now) {
      calls.adjust += 1;
      for (const charge of charges) {
        const level = refilled(charge, now);
        level.tokens = Math.min(charge.capacity, level.tokens + charge.amount);
      }
    },
    level: (key) => buckets.get(key)?.tokens,
  };
};

export interface FakeConcurrencyStore extends ConcurrencyStore {
  held(key: string, now: number): number;
}

export const createFakeConcurrencyStore = (): FakeConcurrencyStore => {
  const leases = new Map<string, Map<string, number>>();
  let counter = 0;
  const live = (key: string, now: number): Map<string, number> => {
    const held = leases.get(key) ?? new Map<string, number>();
    for (const [id, expiresAt] of held) if (expiresAt <= now) held.delete(id);
    leases.set(key, held);
    return held;
  };
  return {
    async acquire(key, limit, leaseMs, now): Promise<ConcurrencyLease | undefined> {
      const held = live(key, now);
      if (held.size >= limit) return undefined;
      const id = `lease-${++counter}`;
      held.set(id, now + leaseMs);
      return { key, id };
    },
    async release(lease) {
      leases.get(lease.key)?.delete(lease.id);
    },
    held: (key, now) => live(key, now).size,
  };
};
