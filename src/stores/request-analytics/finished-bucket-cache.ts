import type { AnalyticsFilter, AnalyticsSummaryRow } from './analytics-query.ts';

export interface FinishedBucketCacheOptions {
  now?: () => number;
  /**
   * How long after a bucket ends it is taken as finished: records are logged when a request ends
   * (a stream may run for minutes) and reach the log in batches, so the newest buckets still change.
   */
  settleMs?: number;
  /** A cached bucket is computed again after this long, so a record that arrived later still shows. */
  ttlMs?: number;
  maxEntries?: number;
  /** A window with more whole buckets than this is queried as it is, not bucket by bucket (a "whole log" by day). */
  maxBuckets?: number;
}

type Window = { since: number; until: number };
/** A bucket's figures by its start, for the part of the window the query was asked about. */
export type BucketQuery = (window: Window) => Map<number, AnalyticsSummaryRow>;

/**
 * Percentiles of a finished time bucket (an hour, a UTC day) never change, but computing them means
 * sorting every row of the bucket: a 30-day by-day summary of a million-row log sorts a million rows.
 * This keeps each finished bucket's figures (per filter and bucket size), so a repeated query sorts only
 * the buckets it has not seen and the ones still filling: today, and a partial first bucket. Empty
 * buckets are remembered too. Bounded; oldest entries go first.
 */
export class FinishedBucketCache {
  readonly #now: () => number;
  readonly #settleMs: number;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxBuckets: number;
  readonly #entries = new Map<string, { expires: number; row: AnalyticsSummaryRow | undefined }>();

  constructor(options: FinishedBucketCacheOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#settleMs = options.settleMs ?? 15 * 60_000;
    this.#ttlMs = options.ttlMs ?? 60 * 60_000;
    this.#maxEntries = options.maxEntries ?? 50_000;
    this.#maxBuckets = options.maxBuckets ?? 1_000;
  }

  /** Every non-empty bucket of `[since, until)`, oldest first, from the cache where finished and from `query` otherwise. */
  rows(filter: AnalyticsFilter & Window, bucketMs: number, query: BucketQuery): [number, AnalyticsSummaryRow][] {
    const now = this.#now();
    const { since, until } = filter;
    const firstWhole = Math.ceil(since / bucketMs) * bucketMs;
    const finishedEnd = Math.min(Math.floor(until / bucketMs) * bucketMs, Math.floor((now - this.#settleMs) / bucketMs) * bucketMs);
    if (firstWhole >= finishedEnd || (finishedEnd - firstWhole) / bucketMs > this.#maxBuckets) return [...query({ since, until })].toSorted(([a], [b]) => a - b);

    const scope = JSON.stringify({ ...filter, since: undefined, until: undefined, bucketMs });
    const keyOf = (start: number): string => `${scope}|${start}`;
    const found = new Map<number, AnalyticsSummaryRow | undefined>();
    const missing: number[] = [];
    for (let start = firstWhole; start < finishedEnd; start += bucketMs) {
      const entry = this.#entries.get(keyOf(start));
      if (entry !== undefined && entry.expires > now) found.set(start, entry.row);
      else missing.push(start);
    }
    if (missing.length > 0) {
      const from = missing[0] ?? firstWhole;
      const to = (missing.at(-1) ?? firstWhole) + bucketMs;
      const computed = query({ since: from, until: to });
      for (let start = from; start < to; start += bucketMs) {
        const row = computed.get(start);
        found.set(start, row);
        this.#remember(keyOf(start), { expires: now + this.#ttlMs, row });
      }
    }
    const live = [
      ...(since < firstWhole ? query({ since, until: firstWhole }) : []),
      ...(finishedEnd < until ? query({ since: finishedEnd, until }) : []),
    ];
    const rows: [number, AnalyticsSummaryRow][] = [...live];
    for (const [start, row] of found) if (row !== undefined) rows.push([start, row]);
    return rows.toSorted(([a], [b]) => a - b);
  }

  #remember(key: string, entry: { expires: number; row: AnalyticsSummaryRow | undefined }): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value ?? '');
  }
}
