import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RequestRecord } from '../contracts.ts';
import { openDatabase } from './open-database.ts';
import { SqliteRequestLogStore } from './sqlite-request-log-store.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-requests-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const record = (requestId: string, startedAt: number): RequestRecord => ({
  requestId,
  startedAt,
  endpoint: '/v1/messages',
  clientFormat: 'anthropic-messages',
  modelRequested: 'claude',
  stream: true,
  status: 200,
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0.0001,
  latencyMs: 12,
  attempts: 1,
});

const countRows = (path: string): unknown => {
  const database = openDatabase(path);
  try {
    return database.prepare('SELECT COUNT(*) AS count FROM requests').get()?.count;
  } finally {
    database.close();
  }
};

test('two connections write one file in turns while a third holds a read snapshot (WAL)', async () => {
  const path = join(folder, 'two-connections.db');
  const first = new SqliteRequestLogStore(openDatabase(path), { ownsDatabase: true });
  const second = new SqliteRequestLogStore(openDatabase(path), { ownsDatabase: true });
  const reader = openDatabase(path);
  const count = (): unknown => reader.prepare('SELECT COUNT(*) AS count FROM requests').get()?.count;
  // An open read transaction: under a rollback journal it would block every writer until it ends.
  reader.exec('BEGIN');
  assert.equal(count(), 0);
  for (let batch = 0; batch < 20; batch += 1) {
    await first.append([record(`a${batch}`, batch), record(`a${batch}b`, batch)]);
    await second.append([record(`b${batch}`, batch)]);
  }
  assert.equal(count(), 0);
  reader.exec('COMMIT');
  assert.equal(count(), 60);
  assert.equal((await first.query({ limit: 1_000 })).length, 60);
  reader.close();
  await first.close();
  await second.close();
});

test('two processes appending to one file at the same time both succeed and lose nothing', async () => {
  const path = join(folder, 'two-processes.db');
  openDatabase(path).close();
  const storeUrl = new URL('./sqlite-request-log-store.ts', import.meta.url).href;
  const openUrl = new URL('./open-database.ts', import.meta.url).href;
  const script = [
    `import { openDatabase } from ${JSON.stringify(openUrl)};`,
    `import { SqliteRequestLogStore } from ${JSON.stringify(storeUrl)};`,
    `const [path, label, template] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3])];`,
    `const store = new SqliteRequestLogStore(openDatabase(path), { ownsDatabase: true });`,
    `process.stdin.once('data', async () => {`,
    `  for (let batch = 0; batch < 50; batch += 1) {`,
    `    await store.append(Array.from({ length: 20 }, (_, i) => ({ ...template, requestId: label + batch + '-' + i })));`,
    `  }`,
    `  await store.close();`,
    `  process.exit(0);`,
    `});`,
    `process.stdout.write('ready\\n');`,
  ].join('\n');
  const children = ['left', 'right'].map((label) =>
    spawn(process.execPath, ['--input-type=module', '--eval', script, path, label, JSON.stringify(record('', 1))], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
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
  assert.equal(countRows(path), 2 * 50 * 20);
});

test('a fractional number in an integer column does not fail the batch', async () => {
  const store = new SqliteRequestLogStore(openDatabase(join(folder, 'lenient.db')), { ownsDatabase: true });
  await store.append([{ ...record('fractional', 1_700_000_000_000.5), inputTokens: 10.5 }]);
  const [stored] = await store.query({});
  assert.equal(stored?.startedAt, 1_700_000_000_000.5);
  assert.equal(stored?.inputTokens, 10.5);
  await store.close();
});

test('calls after close are refused', async () => {
  const store = new SqliteRequestLogStore(openDatabase(join(folder, 'closed.db')), { ownsDatabase: true });
  await store.close();
  await store.close();
  await assert.rejects(store.append([record('late', 1)]), /closed/);
  await assert.rejects(store.query({}), /closed/);
});

test('quality: the score and compact signals are stored in their columns, and absent ones as NULL', async () => {
  const database = openDatabase(join(folder, 'quality-columns.db'));
  const store = new SqliteRequestLogStore(database);
  await store.append([
    { ...record('scored', 1), qualityScore: 0.5, qualitySignals: { validation: 'reasked', flags: ['injection-suspected'] } },
    record('plain', 2),
  ]);
  const columns = database.prepare('SELECT request_id, quality_score, quality_signals FROM requests ORDER BY rowid').all().map((row) => ({ ...row }));
  assert.deepEqual(columns, [
    { request_id: 'scored', quality_score: 0.5, quality_signals: '{"validation":"reasked","flags":["injection-suspected"]}' },
    { request_id: 'plain', quality_score: null, quality_signals: null },
  ]);
  const [plain, scored] = await store.query({});
  assert.equal(plain?.qualityScore, undefined);
  assert.equal(plain && 'qualitySignals' in plain, false);
  assert.deepEqual(scored?.qualitySignals, { validation: 'reasked', flags: ['injection-suspected'] });
  database.close();
});

test('quality: a score outside 0..1 or not a number, and malformed signals, are stored as NULL without failing the batch', async () => {
  const database = openDatabase(join(folder, 'quality-malformed.db'));
  const store = new SqliteRequestLogStore(database);
  const malformed: unknown[] = [
    { qualityScore: 1.5 },
    { qualityScore: -0.1 },
    { qualityScore: Number.NaN },
    { qualityScore: '1' },
    { qualitySignals: {} },
    { qualitySignals: { validation: 'maybe', flags: [3, null] } },
    { qualitySignals: { flags: 'degraded' } },
  ];
  await store.append(malformed.map((fields, index) => ({ ...record(`bad-${index}`, index), ...(fields as object) })));
  const columns = database.prepare('SELECT quality_score, quality_signals FROM requests').all();
  assert.ok(columns.every((row) => row.quality_score === null && row.quality_signals === null), JSON.stringify(columns));
  assert.deepEqual(database.prepare('SELECT count(*) AS count FROM route_quality_daily').get()?.count, 0);
  database.close();
});

test('quality: signals altered in the file behind the store fail the read loudly, naming the column and not the value', async () => {
  const database = openDatabase(join(folder, 'quality-tampered.db'));
  const store = new SqliteRequestLogStore(database);
  await store.append([record('tampered', 1)]);
  for (const text of ['not json', '[1]', '{"validation":"secret-value"}', '{"flags":[1]}']) {
    database.prepare('UPDATE requests SET quality_signals = ?').run(text);
    await assert.rejects(store.query({}), (error: Error) => error instanceof TypeError && /quality_signals/.test(error.message) && !error.message.includes('secret-value'));
  }
  database.close();
});
