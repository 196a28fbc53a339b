import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { BucketCharge, ConsumeResult, RateLimitStore } from '../shared-state-contracts.ts';
import { readNumber } from '../sqlite/read-row.ts';
import { ImmediateTransaction } from './sqlite-transaction.ts';
import { createTakeScratch, fullAt, giveToBuckets, takeFromBuckets, type Bucket } from './token-bucket.ts';
import { assertCharges, assertNow } from './validate-shared-state-input.ts';

/** How many writes between sweeps of buckets that are full again (the same as absent). */
const sweepEvery = 1024;

/**
 * Token buckets in the `rate_limit_buckets` table, shared by every process that opens the file. Each
 * call is one IMMEDIATE transaction: read the buckets, apply the same arithmetic as the memory store,
 * write back what changed.
 */
export class SqliteRateLimitStore implements RateLimitStore {
  readonly #transaction: ImmediateTransaction;
  readonly #select: StatementSync;
  readonly #upsert: StatementSync;
  readonly #sweep: StatementSync;
  readonly #scratch = createTakeScratch();
  #writesSinceSweep = 0;

  constructor(database: DatabaseSync) {
    this.#transaction = new ImmediateTransaction(database);
    this.#select = database.prepare('SELECT tokens, updated_at FROM rate_limit_buckets WHERE key = ?');
    this.#upsert = database.prepare(
      `INSERT INTO rate_limit_buckets (key, tokens, updated_at, full_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at, full_at = excluded.full_at`,
    );
    this.#sweep = database.prepare('DELETE FROM rate_limit_buckets WHERE full_at <= ?');
  }

  async consume(charges: readonly BucketCharge[], now: number): Promise<ConsumeResult> {
    assertNow(now);
    assertCharges(charges, false);
    return this.#transaction.run(() => {
      const buckets = this.#load(charges, now);
      const result = takeFromBuckets(charges, buckets, now, this.#scratch);
      if (result.allowed) this.#save(charges, buckets, now);
      return result;
    });
  }

  async adjust(charges: readonly BucketCharge[], now: number): Promise<void> {
    assertNow(now);
    assertCharges(charges, true);
    this.#transaction.run(() => {
      const buckets = this.#load(charges, now);
      giveToBuckets(charges, buckets, now);
      this.#save(charges, buckets, now);
    });
  }

  /** The bucket of each charge; a key charged twice gets the same object. A missing bucket starts full. */
  #load(charges: readonly BucketCharge[], now: number): Bucket[] {
    const byKey = new Map<string, Bucket>();
    return charges.map((charge) => {
      let bucket = byKey.get(charge.key);
      if (bucket === undefined) {
        const row = this.#select.get(charge.key);
        bucket = row === undefined ? { tokens: charge.capacity, updatedAt: now } : { tokens: readNumber(row, 'tokens'), updatedAt: readNumber(row, 'updated_at') };
        byKey.set(charge.key, bucket);
      }
      return bucket;
    });
  }

  #save(charges: readonly BucketCharge[], buckets: readonly Bucket[], now: number): void {
    // The last charge of a key writes it: the bucket object already holds every charge's effect.
    charges.forEach((charge, index) => {
      const bucket = buckets[index] as Bucket;
      this.#upsert.run(charge.key, bucket.tokens, bucket.updatedAt, fullAt(bucket, charge.capacity, charge.refillPerSecond) ?? null);
    });
    if (++this.#writesSinceSweep >= sweepEvery) {
      this.#writesSinceSweep = 0;
      this.#sweep.run(now);
    }
  }
}
