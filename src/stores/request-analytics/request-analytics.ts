import type { DatabaseSync, SQLOutputValue, StatementSync } from 'node:sqlite';
import { readNumber, readOptionalNumber, readOptionalString, type Row } from '../sqlite/read-row.ts';
import { requestsFilterSql, rollupFilterSql } from './analytics-filter-sql.ts';
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
  day: "strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')",
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
const percentile = (p: number, value: string, position: string, count: string): string =>
  `max(CASE WHEN ${position} = ${rank(p, count)} THEN ${value} END)`;

/**
 * Ranks each group's latencies (and, separately, its times to first token, absent ones sorted last) with
 * window functions and picks the nearest ranks in the same pass that sums tokens and cost: SQLite sorts,
 * no row reaches JavaScript.
 */
const summarySql = (groupSql: string, where: string): string => `
  WITH base AS (
    SELECT ${groupSql} AS grp, status, latency_ms, time_to_first_token_ms AS ttft, input_tokens, output_tokens, cost_usd
    FROM requests ${where}
  ), ranked AS (
    SELECT *,
      row_number() OVER (PARTITION BY grp ORDER BY latency_ms) AS latency_position,
      row_number() OVER (PARTITION BY grp ORDER BY ttft NULLS LAST) AS ttft_position,
      count(*) OVER (PARTITION BY grp) AS n,
      count(ttft) OVER (PARTITION BY grp) AS ttft_n
    FROM base
  )
  SELECT grp, count(*) AS requests, sum(status >= 400) AS errors,
    ${[50, 95, 99].map((p) => `${percentile(p, 'latency_ms', 'latency_position', 'n')} AS p${p}_latency`).join(',\n    ')},
    ${[50, 95, 99].map((p) => `${percentile(p, 'ttft', 'ttft_position', 'ttft_n')} AS p${p}_ttft`).join(',\n    ')},
    sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
  FROM ranked GROUP BY grp`;

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

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  /** Figures per group (one row with group null when `groupBy` is absent): by day ascending, else most requests first. */
  summary(filter: AnalyticsFilter, groupBy?: AnalyticsGrouping): AnalyticsSummaryRow[] {
    const { where, parameters } = requestsFilterSql(filter);
    const sql = summarySql(groupBy === undefined ? 'NULL' : requestGroupSql[groupBy], where);
    const order = groupBy === 'day' ? 'ORDER BY grp' : 'ORDER BY requests DESC, grp';
    return this.#prepare(`${sql} ${order}`).all(...parameters).map(toSummaryRow);
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
    const { where, parameters } = requestsFilterSql(filter);
    // bucketMs is a checked integer, so splicing it keeps the statement cache to one entry per size.
    const sql = `${summarySql(`(started_at / ${bucketMs}) * ${bucketMs}`, where)} ORDER BY grp`;
    return this.#prepare(sql).all(...parameters).map((row) => {
      const summary = toSummaryRow({ ...row, grp: null });
      return {
        start: readNumber(row, 'grp'),
        requests: summary.requests,
        errors: summary.errors,
        costUsd: summary.costUsd,
        p50LatencyMs: summary.p50LatencyMs,
        p95LatencyMs: summary.p95LatencyMs,
        p99LatencyMs: summary.p99LatencyMs,
        p95TimeToFirstTokenMs: summary.p95TimeToFirstTokenMs,
      };
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
const readGroup = (row: Row, groupBy: AnalyticsGrouping | undefined): string | null =>
  groupBy === undefined || row['grp'] === null ? null : String(row['grp']);

const toSummaryRow = (row: Row): AnalyticsSummaryRow => {
  const { requests, errors, inputTokens, outputTokens, costUsd } = totals(row);
  return {
    group: readOptionalString(row, 'grp') ?? null,
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
