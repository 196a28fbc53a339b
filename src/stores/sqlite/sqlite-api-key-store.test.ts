import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from './open-database.ts';
import { SqliteApiKeyStore } from './sqlite-api-key-store.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-keys-'));
after(() => rmSync(folder, { recursive: true, force: true }));

test('only the SHA-256 of a secret reaches the file; the secret itself is nowhere in it', async () => {
  const path = join(folder, 'keys.db');
  const database = openDatabase(path);
  const store = new SqliteApiKeyStore(database);
  const { key, secret } = await store.create({ name: 'ci', models: ['*'] });

  const rows = database.prepare('SELECT * FROM api_keys').all();
  assert.equal(rows.length, 1);
  const row = rows[0] ?? {};
  assert.equal(row.secret_hash, createHash('sha256').update(secret).digest('hex'));
  assert.equal(row.id, key.id);
  const secretBody = secret.slice(3);
  for (const value of Object.values(row)) assert.equal(String(value).includes(secretBody), false);

  // Before and after a checkpoint, in the main file and the write-ahead log alike.
  const fileContents = (): string =>
    [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1')).join('');
  assert.equal(fileContents().includes(secretBody), false);
  database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  assert.equal(fileContents().includes(secretBody), false);
  assert.equal(fileContents().includes(row.secret_hash as string), true);
  database.close();
});

test('two connections to one file see each other’s keys (several workers share the file)', async () => {
  const path = join(folder, 'shared.db');
  const first = openDatabase(path);
  const second = openDatabase(path);
  try {
    const created = await new SqliteApiKeyStore(first).create({ name: 'shared', models: ['*'] });
    const found = await new SqliteApiKeyStore(second).findBySecret(created.secret);
    assert.deepEqual(found, created.key);
    assert.equal(await new SqliteApiKeyStore(second).revoke(created.key.id), true);
    assert.notEqual((await new SqliteApiKeyStore(first).get(created.key.id))?.revokedAt, undefined);
  } finally {
    first.close();
    second.close();
  }
});
