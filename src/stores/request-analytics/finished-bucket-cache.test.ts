import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnalyticsSummaryRow } from './analytics-query.ts';
import { FinishedBucketCache } from './finished-bucket-cache.ts';

const hour = 3_600_000;
const row = (requests: number): AnalyticsSummaryRow => ({
  group: null, requests, errors: 0, errorRate: 0, p50LatencyMs: 1, p95LatencyMs: 2, p99LatencyMs: 3,
  p50TimeToFirstTokenMs: null, p95TimeToFirstTokenMs: null, p99TimeToFirstTokenMs: null, inputTokens: 0, outputTokens: 0, costUsd: 0,
});

/** A log with `requests[h]` requests in hour h (hour 3 empty); records every window it was asked about. */
const fakeLog = () => {
  const requests = new Map<number, number>([[0, 5], [1, 6], [2, 7], [4, 8], [5, 9], [6, 10]]);
  const windows: [number, number][] = [];
  return {
    requests,
    windows,
    query: ({ since, until }: { since: number; until: number }) => {
      windows.push([since / hour, until / hour]);
      const result = new Map<number, AnalyticsSummaryRow>();
      for (const [index, count] of requests) if (index * hour >= since && index * hour < until) result.set(index * hour, row(count));
      return result;
    },
  };
};
const counts = (rows: [number, AnalyticsSummaryRow][]) => rows.map(([start, summary]) => [start / hour, summary.requests]);

describe('finished bucket cache', () => {
  test('finished buckets are computed once; the buckets still filling every time', () => {
    const log = fakeLog();
    // Now is 6:30; with 15 min to settle, hours 0-5 are finished, hour 6 is live.
    const cache = new FinishedBucketCache({ now: () => 6.5 * hour, settleMs: 15 * 60_000 });
    const window = { since: 0, until: 7 * hour };
    assert.deepEqual(counts(cache.rows(window, hour, log.query)), [[0, 5], [1, 6], [2, 7], [4, 8], [5, 9], [6, 10]]);
    assert.deepEqual(log.windows, [[0, 6], [6, 7]]);
    log.windows.length = 0;
    log.requests.set(6, 11);
    log.requests.set(1, 99); // a late change to a finished hour is not seen until the entry expires
    assert.deepEqual(counts(cache.rows(window, hour, log.query)), [[0, 5], [1, 6], [2, 7], [4, 8], [5, 9], [6, 11]]);
    assert.deepEqual(log.windows, [[6, 7]], 'only the live hour is queried; the empty hour 3 is remembered as empty');
  });

  test('a partial first bucket is always computed live, and only missing buckets are asked for', () => {
    const log = fakeLog();
    const cache = new FinishedBucketCache({ now: () => 10 * hour, settleMs: 0 });
    cache.rows({ since: 2 * hour, until: 4 * hour }, hour, log.query);
    log.windows.length = 0;
    const rows = cache.rows({ since: 0.5 * hour, until: 6 * hour }, hour, log.query);
    assert.deepEqual(counts(rows), [[1, 6], [2, 7], [4, 8], [5, 9]]);
    assert.deepEqual(log.windows, [[1, 6], [0.5, 1]], 'hours 1..5 (2 and 3 are recomputed inside the span), then the partial head');
  });

  test('entries expire, and filters are cached apart', () => {
    const log = fakeLog();
    let now = 10 * hour;
    const cache = new FinishedBucketCache({ now: () => now, settleMs: 0, ttlMs: hour });
    cache.rows({ since: 0, until: 2 * hour, model: 'a' }, hour, log.query);
    cache.rows({ since: 0, until: 2 * hour, model: 'b' }, hour, log.query);
    assert.equal(log.windows.length, 2);
    cache.rows({ since: 0, until: 2 * hour, model: 'a' }, hour, log.query);
    assert.equal(log.windows.length, 2);
    now += hour;
    cache.rows({ since: 0, until: 2 * hour, model: 'a' }, hour, log.query);
    assert.equal(log.windows.length, 3);
  });

  test('too many buckets, or none finished, go to the query whole', () => {
    const log = fakeLog();
    const cache = new FinishedBucketCache({ now: () => 10 * hour, settleMs: 0, maxBuckets: 3 });
    cache.rows({ since: 0, until: 8 * hour }, hour, log.query);
    assert.deepEqual(log.windows, [[0, 8]]);
    const young = new FinishedBucketCache({ now: () => 6.9 * hour, settleMs: hour });
    young.rows({ since: 6 * hour, until: 7 * hour }, hour, log.query);
    assert.deepEqual(log.windows.at(-1), [6, 7]);
  });

  test('holds at most maxEntries buckets, forgetting the oldest', () => {
    const log = fakeLog();
    const cache = new FinishedBucketCache({ now: () => 10 * hour, settleMs: 0, maxEntries: 2 });
    cache.rows({ since: 0, until: 3 * hour }, hour, log.query);
    log.windows.length = 0;
    cache.rows({ since: 1 * hour, until: 3 * hour }, hour, log.query);
    assert.deepEqual(log.windows, [], 'the two newest entries are kept');
    cache.rows({ since: 0, until: 1 * hour }, hour, log.query);
    assert.deepEqual(log.windows, [[0, 1]]);
  });
});
