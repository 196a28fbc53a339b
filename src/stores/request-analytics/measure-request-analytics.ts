// Measures the analytics queries on a generated log: `node src/stores/request-analytics/measure-request-analytics.ts [rows]`
// (default 1,000,000). Writes a temporary SQLite file through the real store (so the roll-up trigger
// runs), then times each query a few times and prints the median. Not part of `npm test`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openDatabase } from '../sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../sqlite/sqlite-request-log-store.ts';
import { generateRequestRecords } from './generate-request-records.ts';
import { RequestAnalytics } from './request-analytics.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const days = 30;
const start = Date.UTC(2026, 0, 1);
const folder = mkdtempSync(join(tmpdir(), 'bulwark-analytics-'));
const path = join(folder, 'bulwark.db');

const median = (values: number[]): number => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const time = (label: string, run: () => unknown, repeat = 5): void => {
  const samples: number[] = [];
  for (let index = 0; index < repeat; index += 1) {
    const began = performance.now();
    run();
    samples.push(performance.now() - began);
  }
  console.log(`${label.padEnd(58)} median ${median(samples).toFixed(1).padStart(8)} ms`);
};

try {
  const database = openDatabase(path);
  const store = new SqliteRequestLogStore(database);
  const began = performance.now();
  const batch = 50_000;
  for (let offset = 0; offset < rows; offset += batch) {
    store.appendSync(generateRequestRecords(Math.min(batch, rows - offset), { seed: offset + 1, start, days }));
  }
  console.log(`inserted ${rows.toLocaleString('en')} rows (with roll-up trigger) in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  database.close();

  const reader = new DatabaseSync(path, { readOnly: true });
  const analytics = new RequestAnalytics(reader);
  const day = 86_400_000;
  time('summary, whole log (P50/P95/P99, tokens, cost)', () => analytics.summary({}));
  time('summary, last 24 h', () => analytics.summary({ since: start + (days - 1) * day }));
  time('summary, last 7 d grouped by model', () => analytics.summary({ since: start + (days - 7) * day }, 'model'));
  time('summary, whole log grouped by day', () => analytics.summary({}, 'day'));
  time('summary, one key, last 7 d', () => analytics.summary({ since: start + (days - 7) * day, keyId: 'vk_a' }));
  time('daily roll-up, whole log by model', () => analytics.daily({}, 'model'));
  time('raw page, 100 newest of one end user', () => analytics.requests({ endUser: 'bob' }, 100));
  reader.close();
} finally {
  rmSync(folder, { recursive: true, force: true });
}
