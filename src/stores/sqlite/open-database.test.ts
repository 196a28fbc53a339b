import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Migration } from '../migrations/migration.ts';
import { sqliteMigrations } from '../migrations/sqlite-migrations.ts';
import { openDatabase } from './open-database.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-open-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(folder, `case-${++files}`, 'nested', 'bulwark.db');

const pragma = (database: ReturnType<typeof openDatabase>, name: string): unknown =>
  Object.values(database.prepare(`PRAGMA ${name}`).get() ?? {})[0];

test('creates the folder and the file, in WAL mode with foreign keys and a busy timeout', () => {
  const path = freshPath();
  const database = openDatabase(path, { busyTimeoutMs: 1_234 });
  try {
    assert.ok(statSync(path).isFile());
    assert.equal(pragma(database, 'journal_mode'), 'wal');
    assert.equal(pragma(database, 'foreign_keys'), 1);
    assert.equal(pragma(database, 'busy_timeout'), 1_234);
  } finally {
    database.close();
  }
});

test('applies every migration once and records it', () => {
  const path = freshPath();
  openDatabase(path).close();
  const database = openDatabase(path);
  try {
    const rows = database.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    assert.deepEqual(rows.map((row) => ({ ...row })), sqliteMigrations.map(({ version, name }) => ({ version, name })));
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    assert.deepEqual(tables.map((row) => row.name), ['api_keys', 'circuits', 'concurrency_leases', 'feedback', 'quality_alerts', 'rate_limit_buckets', 'request_daily_rollups', 'requests', 'route_quality_daily', 'schema_migrations']);
  } finally {
    database.close();
  }
});

test('a failing migration rolls back: nothing of it stays, and it is not recorded', () => {
  const path = freshPath();
  const broken: Migration[] = [
    { version: 1, name: 'good', sql: 'CREATE TABLE good (id INTEGER)' },
    { version: 2, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); THIS IS NOT SQL' },
  ];
  assert.throws(() => openDatabase(path, { migrations: broken }));
  const database = openDatabase(path, { migrations: [] });
  try {
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    assert.deepEqual(tables.map((row) => row.name), ['schema_migrations']);
    assert.deepEqual(database.prepare('SELECT version FROM schema_migrations').all(), []);
  } finally {
    database.close();
  }
});

test('refuses a database whose recorded history differs from this build', () => {
  const path = freshPath();
  openDatabase(path, { migrations: [{ version: 1, name: 'one', sql: 'CREATE TABLE one (id INTEGER)' }] }).close();
  assert.throws(
    () => openDatabase(path, { migrations: [{ version: 1, name: 'renamed', sql: 'CREATE TABLE one (id INTEGER)' }] }),
    /recorded as "one"/,
  );
});

test('refuses migrations out of order', () => {
  const unordered: Migration[] = [
    { version: 2, name: 'b', sql: 'SELECT 1' },
    { version: 1, name: 'a', sql: 'SELECT 1' },
  ];
  assert.throws(() => openDatabase(freshPath(), { migrations: unordered }), /strictly increasing/);
});

/**
 * Starts `count` processes that each open `path` with `migrations`, released together once all have
 * loaded (a line on stdin), so that their migrations really race.
 */
async function openConcurrently(path: string, migrations: readonly Migration[], count: number): Promise<void> {
  const moduleUrl = new URL('./open-database.ts', import.meta.url).href;
  const script = [
    `import { openDatabase } from ${JSON.stringify(moduleUrl)};`,
    `const [path, migrations] = [process.argv[1], JSON.parse(process.argv[2])];`,
    `process.stdin.once('data', () => { openDatabase(path, { migrations }).close(); process.exit(0); });`,
    `process.stdout.write('ready\\n');`,
  ].join('\n');
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--input-type=module', '--eval', script, path, JSON.stringify(migrations)], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const exits = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child exited with ${code}: ${stderr}`))));
      }),
  );
  await Promise.all(children.map((child) => once(child.stdout, 'data')));
  for (const child of children) child.stdin.end('go\n');
  await Promise.all(exits);
}

const countMigrations = (path: string): unknown => {
  const database = openDatabase(path, { migrations: [] });
  try {
    return database.prepare('SELECT COUNT(*) AS count FROM schema_migrations').get()?.count;
  } finally {
    database.close();
  }
};

test('several processes opening a new file at once all succeed and migrate it once', async () => {
  const path = freshPath();
  await openConcurrently(path, sqliteMigrations, 6);
  assert.equal(countMigrations(path), sqliteMigrations.length);
});

test('several processes migrating an existing file to a newer schema at once all succeed', async () => {
  const path = freshPath();
  const first: Migration = { version: 1, name: 'first', sql: 'CREATE TABLE first (id INTEGER)' };
  // A migration that takes a while, so that the others arrive while it runs.
  const slow: Migration = {
    version: 2,
    name: 'slow',
    sql: `CREATE TABLE filler (n INTEGER);
      WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter WHERE n < 200000)
      INSERT INTO filler SELECT n FROM counter;`,
  };
  openDatabase(path, { migrations: [first] }).close();
  await openConcurrently(path, [first, slow], 6);
  assert.equal(countMigrations(path), 2);
});
