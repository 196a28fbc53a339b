import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RequestRecord } from '../contracts.ts';
import { openDatabase } from './open-database.ts';
import { WorkerRequestLogStore } from './worker-request-log-store.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-worker-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const record = (requestId: string): RequestRecord => ({
  requestId,
  startedAt: 1_700_000_000_000,
  endpoint: '/v1/embeddings',
  clientFormat: 'openai-embeddings',
  modelRequested: 'embed',
  stream: false,
  status: 200,
  inputTokens: 8,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
  latencyMs: 3,
  attempts: 1,
});

test('close waits for every write sent before it, then the data is in the file', async () => {
  const path = join(folder, 'drain.db');
  const store = new WorkerRequestLogStore(path);
  const writes = Array.from({ length: 10 }, (_unused, batch) =>
    store.append(Array.from({ length: 50 }, (_, index) => record(`r${batch}-${index}`))),
  );
  await store.close();
  await Promise.all(writes);
  const database = openDatabase(path);
  assert.equal(database.prepare('SELECT COUNT(*) AS count FROM requests').get()?.count, 500);
  database.close();
});

test('calls after close are refused', async () => {
  const store = await WorkerRequestLogStore.open({ path: join(folder, 'closed.db') });
  await store.close();
  await assert.rejects(store.append([record('late')]), /closed/);
  await assert.rejects(store.query({}), /closed/);
  await store.close();
});

test('a database that cannot be opened fails open() and every call, without hanging', async () => {
  const directory = join(folder, 'a-directory.db');
  mkdirSync(directory);
  await assert.rejects(WorkerRequestLogStore.open(directory));
  const store = new WorkerRequestLogStore({ path: directory });
  await assert.rejects(store.append([record('lost')]));
  await assert.rejects(store.ready());
  await store.close();
});

test('errors from the worker keep their class and message', async () => {
  const store = await WorkerRequestLogStore.open({ path: join(folder, 'errors.db') });
  await assert.rejects(store.query({ limit: -1 }), RangeError);
  await assert.rejects(store.append([{ ...record('bad'), modelRequested: null as unknown as string }]), /NOT NULL/);
  await store.close();
});
