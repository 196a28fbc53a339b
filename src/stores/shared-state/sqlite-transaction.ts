import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Runs `work` in a `BEGIN IMMEDIATE` transaction: the write lock is taken before the first read, so two
 * processes cannot both read a bucket and both write it back (the busy timeout queues the second).
 * `work` is synchronous, so nothing else on this connection can run inside the transaction.
 */
export class ImmediateTransaction {
  readonly #database: DatabaseSync;
  readonly #begin: StatementSync;
  readonly #commit: StatementSync;

  constructor(database: DatabaseSync) {
    this.#database = database;
    this.#begin = database.prepare('BEGIN IMMEDIATE');
    this.#commit = database.prepare('COMMIT');
  }

  run<T>(work: () => T): T {
    this.#begin.run();
    try {
      const result = work();
      this.#commit.run();
      return result;
    } catch (error) {
      if (this.#database.isTransaction) this.#database.exec('ROLLBACK');
      throw error;
    }
  }
}
