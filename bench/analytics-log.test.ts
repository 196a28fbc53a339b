import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { generateRequestRecords } from '../src/stores/request-analytics/generate-request-records.ts';
import { fillRequestLog, generatedKeyIds, relabelRecords, rowsPerDay } from './analytics-log.ts';

const keyIds = { vk_a: 'vk_real_a', vk_b: 'vk_real_b', vk_c: 'vk_real_c' };

test('the generator draws keys only from the ids the benchmark replaces', () => {
  const drawn = new Set(generateRequestRecords(2_000, { seed: 5 }).map((record) => record.keyId));
  assert.deepEqual([...drawn].filter((id) => id !== undefined).toSorted(), [...generatedKeyIds]);
});

test('relabelling numbers request ids from the batch offset and swaps every generated key for a real one', () => {
  const records = relabelRecords(generateRequestRecords(400, { seed: 9 }), 50_000, keyIds);
  assert.equal(records[0]?.requestId, 'req_50000');
  assert.equal(records.at(-1)?.requestId, 'req_50399');
  const keys = new Set(records.map((record) => record.keyId));
  assert.deepEqual([...keys].filter((id) => id !== undefined).toSorted(), Object.values(keyIds));
  assert.ok(keys.has(undefined), 'requests without a key stay without one');
});

test('relabelling keeps everything else, so the generated figures stay the same', () => {
  const original = generateRequestRecords(50, { seed: 2 });
  const relabelled = relabelRecords(generateRequestRecords(50, { seed: 2 }), 0, keyIds);
  assert.deepEqual(relabelled.map(({ keyId: _keyId, requestId: _requestId, ...rest }) => rest), original.map(({ keyId: _keyId, requestId: _requestId, ...rest }) => rest));
});

test('rows are spread evenly over the days, the first days taking the remainder', () => {
  assert.deepEqual(rowsPerDay(10, 3), [4, 3, 3]);
  assert.deepEqual(rowsPerDay(2, 3), [1, 1, 0]);
  assert.equal(rowsPerDay(1_000_000, 30).reduce((sum, rows) => sum + rows, 0), 1_000_000);
});

test('the filled log holds every row inside the window, written in time order, and rolled up', () => {
  const folder = mkdtempSync(join(tmpdir(), 'bulwark-analytics-log-'));
  try {
    const path = join(folder, 'bulwark.db');
    const end = Date.UTC(2026, 0, 31, 12);
    const filled = fillRequestLog(path, { rows: 301, days: 3, end, keyIds });
    assert.equal(filled.rows, 301);
    const database = new DatabaseSync(path, { readOnly: true });
    try {
      const times = database.prepare('SELECT started_at AS startedAt FROM requests ORDER BY rowid').all().map((row) => Number(row['startedAt']));
      assert.equal(times.length, 301);
      assert.deepEqual(times, times.toSorted((left, right) => left - right));
      assert.ok(times.every((time) => time >= end - 3 * 86_400_000 && time < end));
      assert.equal(database.prepare('SELECT sum(requests) AS total FROM request_daily_rollups').get()?.['total'], 301);
    } finally {
      database.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
