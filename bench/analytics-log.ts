import { statSync } from 'node:fs';
import type { RequestRecord } from '../src/stores/contracts.ts';
import { generateRequestRecords } from '../src/stores/request-analytics/generate-request-records.ts';
import { openDatabase } from '../src/stores/sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../src/stores/sqlite/sqlite-request-log-store.ts';

/** The virtual key ids `generateRequestRecords` draws from; the benchmark swaps them for keys that exist. */
export const generatedKeyIds = ['vk_a', 'vk_b', 'vk_c'] as const;
export type GeneratedKeyId = (typeof generatedKeyIds)[number];

const dayMs = 86_400_000;

/**
 * How many of `rows` records fall on each of `days` days: as even as possible, the first days taking
 * the remainder.
 */
export const rowsPerDay = (rows: number, days: number): number[] =>
  Array.from({ length: days }, (_, day) => Math.floor(rows / days) + (day < rows % days ? 1 : 0));

/**
 * Makes a generated batch look like a real log: request ids unique across batches (the generator
 * numbers each batch from 0) and key ids those of keys in `api_keys`, so key and team filters find them.
 * Changes the records in place and returns them.
 */
export const relabelRecords = (records: RequestRecord[], firstIndex: number, keyIds: Record<GeneratedKeyId, string>): RequestRecord[] => {
  for (const [index, record] of records.entries()) {
    record.requestId = `req_${firstIndex + index}`;
    if (record.keyId !== undefined) record.keyId = keyIds[record.keyId as GeneratedKeyId] ?? record.keyId;
  }
  return records;
};

export interface FilledLog {
  rows: number;
  /** Wall time of the appends, trigger included. */
  seconds: number;
  /** The database file after the appends (the WAL is checkpointed into it on close). */
  bytes: number;
}

/**
 * Appends `rows` generated records spread over the `days` days that end at `end`, through the real
 * store on a connection from `openDatabase`, so migrations, indexes and the daily roll-up trigger all
 * run as they do in the gateway's log worker. One append per day, in time order: a real log is written
 * as requests finish, so its row order follows `started_at`, and that decides how far apart on disk
 * the rows of a time range are.
 */
export const fillRequestLog = (
  path: string,
  options: { rows: number; days: number; end: number; keyIds: Record<GeneratedKeyId, string>; onProgress?: (rowsDone: number) => void },
): FilledLog => {
  const database = openDatabase(path);
  const store = new SqliteRequestLogStore(database);
  const start = options.end - options.days * dayMs;
  const began = performance.now();
  let done = 0;
  try {
    for (const [day, count] of rowsPerDay(options.rows, options.days).entries()) {
      const records = generateRequestRecords(count, { seed: day + 1, start: start + day * dayMs, days: 1 });
      records.sort((left, right) => left.startedAt - right.startedAt);
      store.appendSync(relabelRecords(records, done, options.keyIds));
      done += count;
      options.onProgress?.(done);
    }
  } finally {
    database.close();
  }
  return { rows: options.rows, seconds: (performance.now() - began) / 1000, bytes: statSync(path).size };
};
