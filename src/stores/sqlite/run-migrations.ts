import type { DatabaseSync } from 'node:sqlite';
import type { Migration } from '../migrations/migration.ts';

/**
 * Applies the migrations this database has not seen, all in one transaction.
 *
 * `BEGIN IMMEDIATE` takes the write lock before reading `schema_migrations`, so when several processes
 * start at once (`--workers N`) they queue on the lock (busy_timeout) and each one after the first finds
 * the work done, instead of two of them creating the same table.
 */
export function runMigrations(database: DatabaseSync, migrations: readonly Migration[]): number[] {
  assertOrdered(migrations);
  database.exec('BEGIN IMMEDIATE');
  try {
    database.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    const applied = readApplied(database);
    const insert = database.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const ran: number[] = [];
    for (const migration of migrations) {
      const recordedName = applied.get(migration.version);
      if (recordedName !== undefined) {
        if (recordedName !== migration.name) {
          throw new Error(
            `schema migration ${migration.version} is recorded as "${recordedName}" but this build calls it "${migration.name}"`,
          );
        }
        continue;
      }
      database.exec(migration.sql);
      insert.run(migration.version, migration.name, Date.now());
      ran.push(migration.version);
    }
    database.exec('COMMIT');
    return ran;
  } catch (error) {
    if (database.isTransaction) database.exec('ROLLBACK');
    throw error;
  }
}

function readApplied(database: DatabaseSync): Map<number, string> {
  const applied = new Map<number, string>();
  for (const row of database.prepare('SELECT version, name FROM schema_migrations').all()) {
    if (typeof row.version === 'number' && typeof row.name === 'string') applied.set(row.version, row.name);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (!Number.isInteger(migration.version) || (previous !== undefined && migration.version <= previous.version)) {
      throw new Error(`schema migrations must have strictly increasing integer versions (at "${migration.name}")`);
    }
  });
}
