import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../sqlite/sqlite-request-log-store.ts';
import { createInlineAnalyticsReader, type AnalyticsReader } from './analytics-queries.ts';
import { openAnalyticsLanes, openAnalyticsWorker } from './analytics-worker.ts';
import { generateRequestRecords } from './generate-request-records.ts';

const directory = mkdtempSync(join(tmpdir(), 'bulwark-analytics-worker-'));
const path = join(directory, 'bulwark.db');
const database = openDatabase(path);
let worker: AnalyticsReader;
let inline: AnalyticsReader;

before(async () => {
  await new SqliteRequestLogStore(database).append(generateRequestRecords(500, { seed: 3, days: 3 }));
  worker = await openAnalyticsWorker(path);
  inline = createInlineAnalyticsReader(database);
});
after(async () => {
  await worker.close();
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('analytics worker', () => {
  test('answers every query as the inline reader does', async () => {
    const filter = { since: Date.UTC(2026, 0, 1, 6), until: Date.UTC(2026, 0, 3) };
    assert.deepEqual(await worker.summary(filter, 'model'), await inline.summary(filter, 'model'));
    assert.deepEqual(await worker.daily({}, 'provider'), await inline.daily({}, 'provider'));
    assert.deepEqual(await worker.requests({ endUser: 'alice' }, 7), await inline.requests({ endUser: 'alice' }, 7));
    assert.deepEqual(await worker.series(filter, 3_600_000), await inline.series(filter, 3_600_000));
    assert.deepEqual(await worker.tail(undefined, 5), await inline.tail(undefined, 5));
  });

  test('sees records appended after it opened (its own snapshot per query)', async () => {
    const earlier = (await worker.summary({}))[0]?.requests ?? 0;
    await new SqliteRequestLogStore(database).append(generateRequestRecords(10, { seed: 4 }));
    assert.equal((await worker.summary({}))[0]?.requests, earlier + 10);
  });

  test('a refused query rejects with the same error class; the worker goes on answering', async () => {
    await assert.rejects(worker.requests({}, 0), RangeError);
    await assert.rejects(worker.series({ since: 0, until: 1e9 }, 10), RangeError);
    assert.equal((await worker.requests({}, 1)).length, 1);
  });

  test('many calls in flight are answered in order, each with its own answer', async () => {
    const limits = Array.from({ length: 40 }, (_, index) => (index % 9) + 1);
    const pages = await Promise.all(limits.map((limit) => worker.requests({}, limit)));
    assert.deepEqual(pages.map((page) => page.length), limits);
  });

  test('after close every call rejects', async () => {
    const reader = await openAnalyticsWorker(path);
    await reader.close();
    await assert.rejects(reader.summary({}), /closed/);
  });

  test('two lanes: every query answers as the inline reader does, the quick ones while a slow one is in flight', async () => {
    const lanes = await openAnalyticsLanes(path);
    try {
      const inline = createInlineAnalyticsReader(database);
      const slow = lanes.summary({}, 'endUser');
      const quick = await lanes.daily({}, 'model');
      assert.deepEqual(quick, await inline.daily({}, 'model'));
      assert.deepEqual(await slow, await inline.summary({}, 'endUser'));
      assert.deepEqual(await lanes.tail(undefined, 2), await inline.tail(undefined, 2));
    } finally {
      await lanes.close();
    }
  });

  test('a file that does not exist fails the open', async () => {
    await assert.rejects(openAnalyticsWorker(join(directory, 'missing', 'none.db')));
  });
});
