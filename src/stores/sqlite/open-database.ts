import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Migration } from '../migrations/migration.ts';
import { sqliteMigrations } from '../migrations/sqlite-migrations.ts';
import { runMigrations } from './run-migrations.ts';

export interface OpenDatabaseOptions {
  /** How long a connection waits for another one's write lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Defaults to every Bulwark migration; tests pass their own. */
  migrations?: readonly Migration[];
}

export const defaultBusyTimeoutMs = 5_000;

/**
 * Opens (creating it and its folder if needed) the SQLite file Bulwark keeps its state in, ready for
 * several connections and processes at once: WAL lets readers proceed while one writer commits, the busy
 * timeout makes concurrent writers wait their turn rather than fail, and foreign keys are enforced.
 * Then brings the schema up to date. `:memory:` opens a private in-memory database.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? defaultBusyTimeoutMs;
  const database = new DatabaseSync(path, { timeout: busyTimeoutMs, enableForeignKeyConstraints: true });
  try {
    // The busy timeout is set before anything that may need a lock, switching to WAL included.
    database.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    if (!inMemory) retryWhileLocked(() => database.exec('PRAGMA journal_mode = WAL'), busyTimeoutMs);
    // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
    database.exec('PRAGMA synchronous = NORMAL');
    database.exec('PRAGMA foreign_keys = ON');
    retryWhileLocked(() => runMigrations(database, options.migrations ?? sqliteMigrations), busyTimeoutMs);
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

const isLockedError = (error: unknown): boolean => error instanceof Error && /database is locked|SQLITE_BUSY/i.test(error.message);

/**
 * Runs a start-up step again while another process holds the lock it needs. SQLite skips the busy
 * handler in some cases (several processes switching a new file to WAL at once, a lock upgrade that
 * could deadlock) and fails at once with "database is locked"; at start-up a short synchronous wait
 * and another try is the right answer. Gives up after `timeoutMs`.
 */
const retryWhileLocked = (step: () => void, timeoutMs: number): void => {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      step();
      return;
    } catch (error) {
      if (!isLockedError(error) || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, Math.min(50, 5 * attempt));
    }
  }
};
