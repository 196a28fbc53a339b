import type { BucketCharge, ConsumeResult, RateLimitStore } from '../shared-state-contracts.ts';
import { createTakeScratch, giveToBuckets, takeFromBuckets, type Bucket } from './token-bucket.ts';
import { assertCharges, assertNow } from './validate-shared-state-input.ts';

interface MemoryBucket extends Bucket {
  capacity: number;
  refillPerSecond: number;
}

/** How many calls between sweeps of buckets that are full again (and so the same as absent). */
const sweepEvery = 4096;

/** Token buckets in this process's memory: the single-process backing, and the fallback while Redis is down. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, MemoryBucket>();
  readonly #touched: MemoryBucket[] = [];
  readonly #scratch = createTakeScratch();
  #callsSinceSweep = 0;

  async consume(charges: readonly BucketCharge[], now: number): Promise<ConsumeResult> {
    assertNow(now);
    assertCharges(charges, false);
    this.#touch(charges, now);
    return takeFromBuckets(charges, this.#touched, now, this.#scratch);
  }

  async adjust(charges: readonly BucketCharge[], now: number): Promise<void> {
    assertNow(now);
    assertCharges(charges, true);
    this.#touch(charges, now);
    giveToBuckets(charges, this.#touched, now);
  }

  /** Fills #touched with the bucket of each charge, creating full ones for keys not seen yet. */
  #touch(charges: readonly BucketCharge[], now: number): void {
    if (++this.#callsSinceSweep >= sweepEvery) this.#sweep(now);
    this.#touched.length = charges.length;
    for (let index = 0; index < charges.length; index++) {
      const charge = charges[index] as BucketCharge;
      let bucket = this.#buckets.get(charge.key);
      if (bucket === undefined) {
        bucket = { tokens: charge.capacity, updatedAt: now, capacity: charge.capacity, refillPerSecond: charge.refillPerSecond };
        this.#buckets.set(charge.key, bucket);
      } else {
        bucket.capacity = charge.capacity;
        bucket.refillPerSecond = charge.refillPerSecond;
      }
      this.#touched[index] = bucket;
    }
  }

  #sweep(now: number): void {
    this.#callsSinceSweep = 0;
    for (const [key, bucket] of this.#buckets) {
      const elapsedMs = Math.max(0, now - bucket.updatedAt);
      if (bucket.tokens + (elapsedMs / 1000) * bucket.refillPerSecond >= bucket.capacity) this.#buckets.delete(key);
    }
  }
}
