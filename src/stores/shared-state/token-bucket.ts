import type { BucketCharge, ConsumeResult } from '../shared-state-contracts.ts';

/**
 * The token-bucket arithmetic shared by the memory and SQLite stores; redis-rate-limit-scripts.ts
 * repeats it in Lua, operation for operation, so every backing gives the same numbers to the last bit.
 */
export interface Bucket {
  tokens: number;
  /** Epoch ms the tokens were last brought up to date. Never moves back, so a lagging clock refills nothing. */
  updatedAt: number;
}

/** Brings `bucket` up to `now`: continuous refill, never above capacity (which also clamps a capacity lowered since). */
export function refillBucket(bucket: Bucket, capacity: number, refillPerSecond: number, now: number): void {
  const elapsedMs = now - bucket.updatedAt;
  if (elapsedMs > 0) {
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsedMs / 1000) * refillPerSecond);
    bucket.updatedAt = now;
  } else {
    bucket.tokens = Math.min(capacity, bucket.tokens);
  }
}

/**
 * Seconds until a bucket left at `tokens` (below zero) after `charge` covers it again. Infinite when it
 * never will: the bucket does not refill, or the charge is larger than the whole bucket.
 */
export function secondsToCover(tokens: number, charge: BucketCharge): number {
  if (charge.refillPerSecond <= 0 || charge.amount > charge.capacity) return Number.POSITIVE_INFINITY;
  return -tokens / charge.refillPerSecond;
}

/** Reusable scratch space, so a call on the memory store allocates only its result. */
export interface TakeScratch {
  tokens: number[];
  updatedAt: number[];
}

export const createTakeScratch = (): TakeScratch => ({ tokens: [], updatedAt: [] });

/**
 * Takes every charge or none. `buckets[i]` is the bucket of `charges[i]` (the same object when a key
 * appears twice: its charges are taken one after the other). On refusal the buckets are left exactly as
 * they were given, and `remaining` reports their refilled levels; when allowed, their levels after the call.
 */
export function takeFromBuckets(charges: readonly BucketCharge[], buckets: readonly Bucket[], now: number, scratch: TakeScratch): ConsumeResult {
  const count = charges.length;
  const remaining: number[] = [];
  for (let index = 0; index < count; index++) {
    const charge = charges[index] as BucketCharge;
    const bucket = buckets[index] as Bucket;
    scratch.tokens[index] = bucket.tokens;
    scratch.updatedAt[index] = bucket.updatedAt;
    refillBucket(bucket, charge.capacity, charge.refillPerSecond, now);
    remaining[index] = bucket.tokens;
  }
  for (let index = 0; index < count; index++) (buckets[index] as Bucket).tokens -= (charges[index] as BucketCharge).amount;
  let allowed = true;
  let retryAfterSeconds = 0;
  for (let index = 0; index < count; index++) {
    const tokens = (buckets[index] as Bucket).tokens;
    if (tokens >= 0) continue;
    allowed = false;
    retryAfterSeconds = Math.max(retryAfterSeconds, secondsToCover(tokens, charges[index] as BucketCharge));
  }
  if (!allowed) {
    // Backwards, so a key charged twice ends at the level it had before its first charge.
    for (let index = count - 1; index >= 0; index--) {
      const bucket = buckets[index] as Bucket;
      bucket.tokens = scratch.tokens[index] as number;
      bucket.updatedAt = scratch.updatedAt[index] as number;
    }
    return { allowed: false, retryAfterSeconds, remaining };
  }
  for (let index = 0; index < count; index++) remaining[index] = (buckets[index] as Bucket).tokens;
  return { allowed: true, retryAfterSeconds: 0, remaining };
}

/** Adds each charge's amount (negative: takes), one after the other, never above capacity, possibly below zero. */
export function giveToBuckets(charges: readonly BucketCharge[], buckets: readonly Bucket[], now: number): void {
  for (let index = 0; index < charges.length; index++) {
    const charge = charges[index] as BucketCharge;
    const bucket = buckets[index] as Bucket;
    refillBucket(bucket, charge.capacity, charge.refillPerSecond, now);
    bucket.tokens = Math.min(charge.capacity, bucket.tokens + charge.amount);
  }
}

/** Epoch ms at which `bucket` is full again (and may be forgotten); undefined when it never refills. */
export function fullAt(bucket: Bucket, capacity: number, refillPerSecond: number): number | undefined {
  if (refillPerSecond <= 0) return bucket.tokens >= capacity ? bucket.updatedAt : undefined;
  return bucket.updatedAt + (Math.max(0, capacity - bucket.tokens) / refillPerSecond) * 1000;
}
