import { randomUUID } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ConcurrencyLease, ConcurrencyStore } from '../shared-state-contracts.ts';
import { readNumber } from '../sqlite/read-row.ts';
import { ImmediateTransaction } from './sqlite-transaction.ts';
import { assertLease, assertLeaseRequest, assertNow } from './validate-shared-state-input.ts';

/** How many acquisitions between sweeps of expired leases under every key. */
const sweepEvery = 1024;

/** Concurrency leases in the `concurrency_leases` table, shared by every process that opens the file. */
export class SqliteConcurrencyStore implements ConcurrencyStore {
  readonly #transaction: ImmediateTransaction;
  readonly #expireKey: StatementSync;
  readonly #count: StatementSync;
  readonly #insert: StatementSync;
  readonly #delete: StatementSync;
  readonly #sweep: StatementSync;
  #acquiresSinceSweep = 0;

  constructor(database: DatabaseSync) {
    this.#transaction = new ImmediateTransaction(database);
    this.#expireKey = database.prepare('DELETE FROM concurrency_leases WHERE key = ? AND expires_at <= ?');
    this.#count = database.prepare('SELECT count(*) AS held FROM concurrency_leases WHERE key = ?');
    this.#insert = database.prepare('INSERT INTO concurrency_leases (key, id, expires_at) VALUES (?, ?, ?)');
    this.#delete = database.prepare('DELETE FROM concurrency_leases WHERE key = ? AND id = ?');
    this.#sweep = database.prepare('DELETE FROM concurrency_leases WHERE expires_at <= ?');
  }

  async acquire(key: string, limit: number, leaseMs: number, now: number): Promise<ConcurrencyLease | undefined> {
    assertLeaseRequest(key, limit, leaseMs);
    assertNow(now);
    return this.#transaction.run(() => {
      if (++this.#acquiresSinceSweep >= sweepEvery) {
        this.#acquiresSinceSweep = 0;
        this.#sweep.run(now);
      } else {
        this.#expireKey.run(key, now);
      }
      const row = this.#count.get(key);
      if (row === undefined || readNumber(row, 'held') >= limit) return undefined;
      const id = randomUUID();
      this.#insert.run(key, id, now + leaseMs);
      return { key, id };
    });
  }

  async release(lease: ConcurrencyLease): Promise<void> {
    assertLease(lease);
    this.#delete.run(lease.key, lease.id);
  }
}
