import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import { readNumber, readOptionalNumber, readOptionalString, type Row } from '../sqlite/read-row.ts';
import { requestsFilterSql, rollupFilterSql } from './analytics-filter-sql.ts';
import { FinishedBucketCache, type FinishedBucketCacheOptions } from './finished-bucket-cache.ts';
import {
  dayMs,
  type AnalyticsBucketRow,
  type AnalyticsDailyRow,
  type AnalyticsFilter,
  type AnalyticsGrouping,
  type AnalyticsSummaryRow,
  type AnalyticsTotalsRow,
  type RollupGrouping,
} from './analytics-query.ts';

/** Keys keep their team for life, so the key's current team is the request's team. */
const teamOfKey = (keyColumn: string): string => `(SELECT team FROM api_keys WHERE api_keys.id = ${keyColumn})`;

/** Column expressions; the only SQL text that depends on the caller, picked from a closed list. */
const requestGroupSql: Record<AnalyticsGrouping, string> = {
  model: 'model_requested',
  provider: 'provider',
  key: 'key_id',
  team: teamOfKey('requests.key_id'),
  endUser: 'end_user',
  endpoint: 'endpoint',
  status: 'CAST(status AS TEXT)',
  errorCode: 'error_code',
  deployment: "provider || '/' || upstream_model",
  // The UTC day number, formatted in JavaScript (readGroup): strftime on every row costs more than the sort.
  day: `started_at / ${dayMs}`,
};

const rollupGroupSql: Record<RollupGrouping, string> = {
  model: 'model',
  provider: "nullif(provider, '')",
  key: "nullif(key_id, '')",
  team: teamOfKey('request_daily_rollups.key_id'),
  endpoint: 'endpoint',
  status: "status_class || 'xx'",
};

/** The 1-based nearest rank of percentile `p` among `count` values: ceil(p × count / 100), in integers. */
const rank = (p: number, count: string): string => `(${count} * ${p} + 99) / 100`;

/** Nearest-rank P50/P95/P99 of `column` per group, over the rows of `base` where it is present. */
const percentilesSql = (column: string, prefix: string): string => `
  SELECT grp, ${[50, 95, 99].map((p) => `max(CASE WHEN position = ${rank(p, 'n')} THEN value END) AS p${p}_${prefix}`).join(', ')}
  FROM (
    SELECT grp, ${column} AS value, row_number() OVER (PARTITION BY grp ORDER BY ${column}) AS position, count(*) OVER (PARTITION BY grp) AS n
    FROM base WHERE ${column} IS NOT NULL
  ) GROUP BY grp`;

/**
 * The matching rows are read once (materialised), then ranked by latency and, separately and among
 * streamed calls only, by time to first token, with window functions; the nearest ranks are picked in
 * SQL, so no row reaches JavaScript. Ranking the two apart halves the rows the second sort sees on a
 * mixed log, and spares every row the second ORDER BY. Groups are joined with IS, as a group may be NULL.
 */
const summarySql = (groupSql: string, where: string): string => `
  WITH base AS MATERIALIZED (
    SELECT ${groupSql} AS grp, status, latency_ms, time_to_first_token_ms AS ttft, input_tokens, output_tokens, cost_usd
    FROM requests ${where}
  ),
  totals AS (
    SELECT grp, count(*) AS requests, sum(status >= 400) AS errors, sum(input_tokens) AS input_tokens,
      sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
    FROM base GROUP BY grp
  ),
  latency AS (${percentilesSql('latency_ms', 'latency')}),
  ttft AS (${percentilesSql('ttft', 'ttft')})
  SELECT totals.*, p50_latency, p95_latency, p99_latency, p50_ttft, p95_ttft, p99_ttft
  FROM totals LEFT JOIN latency ON latency.grp IS totals.grp LEFT JOIN ttft ON ttft.grp IS totals.grp`;

const requestColumns = `request_id AS requestId, started_at AS startedAt, endpoint, client_format AS clientFormat,
  key_id AS keyId, end_user AS endUser, model_requested AS modelRequested, provider, upstream_model AS upstreamModel,
  stream, status, error_code AS errorCode, finish_reason AS finishReason, input_tokens AS inputTokens,
  output_tokens AS outputTokens, cached_input_tokens AS cachedInputTokens, reasoning_tokens AS reasoningTokens,
  cost_usd AS costUsd, latency_ms AS latencyMs, time_to_first_token_ms AS timeToFirstTokenMs, attempts`;

export const maxAnalyticsRequestsLimit = 1_000;
/** Fewer buckets than this keep a chart readable and the query's GROUP BY small. */
export const maxAnalyticsBuckets = 1_000;

/** A request as the raw page shows it: camelCase columns, absent fields null, `stream` a boolean. */
export type AnalyticsRequestRow = Record<string, SQLOutputValue | boolean>;

/**
 * Read-only queries over the request log for the admin analytics API and `bulwark stats`. The calls are
 * synchronous (`node:sqlite`); give it its own connection (the analytics worker's) so they never wait on
 * the log writer's transactions. Statements are prepared once per query shape and kept.
 */
export class RequestAnalytics {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #finishedBuckets: FinishedBucketCache;

  constructor(database: DatabaseSync, options: FinishedBucketCacheOptions = {}) {
    this.#database = database;
    this.#finishedBuckets = new FinishedBucketCache(options);
  }

  /**
   * Figures per group (one row with group null when `groupBy` is absent): by day ascending, else most
   * requests first. By day with a `since`, finished days come from the finished-bucket cache.
   */
  summary(filter: AnalyticsFilter, groupBy?: AnalyticsGrouping): AnalyticsSummaryRow[] {
    if (groupBy === 'day' && filter.since !== undefined) {
      const window = { ...filter, since: filter.since, until: filter.until ?? Number.MAX_SAFE_INTEGER };
      return this.#bucketSummaries(window, dayMs).map(([start, row]) => ({ ...row, group: new Date(start).toISOString().slice(0, 10) }));
    }
    const { where, parameters } = requestsFilterSql(filter);
    const sql = summarySql(groupBy === undefined ? 'NULL' : requestGroupSql[groupBy], where);
    const order = groupBy === 'day' ? 'ORDER BY totals.grp' : 'ORDER BY requests DESC, totals.grp';
    return this.#prepare(`${sql} ${order}`).all(...parameters).map((row) => toSummaryRow(row, groupBy));
  }

  /**
   * Counts, tokens and cost per group, without percentiles: no sort, one pass over the matching rows,
   * so several times cheaper than `summary` over a wide window. Most requests first.
   */
  totals(filter: AnalyticsFilter, groupBy?: AnalyticsGrouping): AnalyticsTotalsRow[] {
    const { where, parameters } = requestsFilterSql(filter);
    const groupSql = groupBy === undefined ? 'NULL' : requestGroupSql[groupBy];
    const sql = `SELECT ${groupSql} AS grp, count(*) AS requests, sum(status >= 400) AS errors, sum(input_tokens) AS input_tokens,
      sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd FROM requests ${where} GROUP BY grp ORDER BY requests DESC, grp`;
    return this.#prepare(sql).all(...parameters).map((row) => ({ group: readGroup(row, groupBy), ...totals(row) }));
  }

  /** Totals per UTC day (and group) from the roll-up, whatever the size of the log. */
  daily(filter: Omit<AnalyticsFilter, 'endUser' | 'status'>, groupBy?: RollupGrouping): AnalyticsDailyRow[] {
    const { where, parameters } = rollupFilterSql(filter, dayMs);
    const groupSql = groupBy === undefined ? 'NULL' : rollupGroupSql[groupBy];
    const sql = `SELECT day, ${groupSql} AS grp, sum(requests) AS requests, sum(errors) AS errors, sum(input_tokens) AS input_tokens,
      sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
      FROM request_daily_rollups ${where} GROUP BY day, grp ORDER BY day, requests DESC, grp`;
    return this.#prepare(sql).all(...parameters).map((row) => ({
      day: new Date(readNumber(row, 'day') * dayMs).toISOString().slice(0, 10),
      group: readOptionalString(row, 'grp') ?? null,
      ...totals(row),
    }));
  }

  /**
   * Figures per time bucket of `bucketMs` (aligned to the epoch, so hours and UTC days), oldest first;
   * buckets without requests are left out. The caller bounds the window: at most 1,000 buckets.
   */
  series(filter: AnalyticsFilter & { since: number; until: number }, bucketMs: number): AnalyticsBucketRow[] {
    if (!Number.isSafeInteger(bucketMs) || bucketMs < 1_000) throw new RangeError('analytics series: bucketMs must be an integer of at least 1000');
    if ((filter.until - filter.since) / bucketMs > maxAnalyticsBuckets) throw new RangeError(`analytics series: at most ${maxAnalyticsBuckets} buckets`);
    return this.#bucketSummaries(filter, bucketMs).map(([start, summary]) => ({
        start,
        requests: summary.requests,
        errors: summary.errors,
        costUsd: summary.costUsd,
        p50LatencyMs: summary.p50LatencyMs,
        p95LatencyMs: summary.p95LatencyMs,
        p99LatencyMs: summary.p99LatencyMs,
        p95TimeToFirstTokenMs: summary.p95TimeToFirstTokenMs,
      }));
  }

  /** Each bucket's figures, oldest first; finished buckets are computed once (FinishedBucketCache). */
  #bucketSummaries(filter: AnalyticsFilter & { since: number; until: number }, bucketMs: number): [number, AnalyticsSummaryRow][] {
    return this.#finishedBuckets.rows(filter, bucketMs, (window) => {
      const { where, parameters } = requestsFilterSql({ ...filter, ...window });
      // bucketMs is a checked integer, so splicing it keeps the statement cache to one entry per size.
      const sql = summarySql(`(started_at / ${bucketMs}) * ${bucketMs}`, where);
      return new Map(this.#prepare(sql).all(...parameters).map((row) => [readNumber(row, 'grp'), toSummaryRow(row, undefined)]));
    });
  }

  /**
   * Records logged after `position` (a log position from an earlier call), oldest first, at most
   * `limit`; without a position, the newest `limit` records, newest first. Positions grow with every
   * record any process appends, so polling with the last one seen tails the whole log.
   */
  tail(position: number | undefined, limit: number): { position: number; rows: AnalyticsRequestRow[] } {
    if (!Number.isInteger(limit) || limit < 1 || limit > maxAnalyticsRequestsLimit) {
      throw new RangeError(`analytics tail: limit must be an integer from 1 to ${maxAnalyticsRequestsLimit}`);
    }
    const rows = position === undefined
      ? this.#prepare(`SELECT rowid AS position, ${requestColumns} FROM requests ORDER BY rowid DESC LIMIT ?`).all(limit)
      : this.#prepare(`SELECT rowid AS position, ${requestColumns} FROM requests WHERE rowid > ? ORDER BY rowid LIMIT ?`).all(position, limit);
    const positions = rows.map((row) => readNumber(row, 'position'));
    return {
      position: Math.max(position ?? 0, ...positions),
      rows: rows.map(({ position: _position, ...row }) => ({ ...row, stream: row['stream'] === 1 })),
    };
  }

  /** The matching records, newest first, without bodies or attempt details. */
  requests(filter: AnalyticsFilter, limit: number): AnalyticsRequestRow[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > maxAnalyticsRequestsLimit) {
      throw new RangeError(`analytics requests: limit must be an integer from 1 to ${maxAnalyticsRequestsLimit}`);
    }
    const { where, parameters } = requestsFilterSql(filter);
    const sql = `SELECT ${requestColumns} FROM requests ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
    return this.#prepare(sql).all(...parameters, limit).map((row) => ({ ...row, stream: row['stream'] === 1 }));
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#database.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

const totals = (row: Row) => {
  const requests = readNumber(row, 'requests');
  return {
    requests,
    errors: readNumber(row, 'errors'),
    inputTokens: readNumber(row, 'input_tokens'),
    outputTokens: readNumber(row, 'output_tokens'),
    costUsd: readNumber(row, 'cost_usd'),
  };
};

/** Day buckets come back as numbers when grouping by an expression; every group reads as text or null. */
const readGroup = (row: Row, groupBy: AnalyticsGrouping | undefined): string | null => {
  const group = row['grp'];
  if (groupBy === undefined || group === null || group === undefined) return null;
  return groupBy === 'day' ? new Date(Number(group) * dayMs).toISOString().slice(0, 10) : String(group);
};

const toSummaryRow = (row: Row, groupBy: AnalyticsGrouping | undefined): AnalyticsSummaryRow => {
  const { requests, errors, inputTokens, outputTokens, costUsd } = totals(row);
  return {
    group: readGroup(row, groupBy),
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    p50LatencyMs: readNumber(row, 'p50_latency'),
    p95LatencyMs: readNumber(row, 'p95_latency'),
    p99LatencyMs: readNumber(row, 'p99_latency'),
    p50TimeToFirstTokenMs: readOptionalNumber(row, 'p50_ttft') ?? null,
    p95TimeToFirstTokenMs: readOptionalNumber(row, 'p95_ttft') ?? null,
    p99TimeToFirstTokenMs: readOptionalNumber(row, 'p99_ttft') ?? null,
    inputTokens,
    outputTokens,
    costUsd,
  };
};
