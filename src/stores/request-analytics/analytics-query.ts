/** What the summary can be grouped by; `day` is the UTC calendar day of `startedAt`. */
export const analyticsGroupings = ['model', 'provider', 'key', 'team', 'endUser', 'endpoint', 'status', 'errorCode', 'deployment', 'day'] as const;
export type AnalyticsGrouping = (typeof analyticsGroupings)[number];

/** The groupings the daily roll-up keeps (it has no end user, and is already by day). */
export const rollupGroupings = ['model', 'provider', 'key', 'team', 'endpoint', 'status'] as const;
export type RollupGrouping = (typeof rollupGroupings)[number];

/**
 * Which requests a figure covers. Every field narrows; absent fields do not. The window is half-open
 * (`since <= startedAt < until`, epoch ms), like the request log's, so adjacent windows never overlap.
 */
export interface AnalyticsFilter {
  since?: number;
  until?: number;
  keyId?: string;
  /** The team of the virtual key that made the request (keys keep their team for life). */
  team?: string;
  endUser?: string;
  /** The model alias the caller asked for: the route. */
  model?: string;
  provider?: string;
  endpoint?: string;
  /** An exact HTTP status. */
  status?: number;
  /** A status class: 2 for 2xx, 4 for 4xx, ... */
  statusClass?: number;
}

/**
 * One group's figures. Percentiles are nearest-rank: the value at 1-based position ceil(p/100 × n) of
 * the group's values sorted ascending, so every percentile is a latency that really happened. Time to
 * first token only exists for streamed calls: its percentiles rank those alone and are null without any.
 */
export interface AnalyticsSummaryRow {
  /** The group's value (`YYYY-MM-DD` for day, the status as text); null for requests without one (no key, no end user) and for the ungrouped total. */
  group: string | null;
  requests: number;
  /** Requests answered with status 400 or above. */
  errors: number;
  errorRate: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
  p50TimeToFirstTokenMs: number | null;
  p95TimeToFirstTokenMs: number | null;
  p99TimeToFirstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * One time bucket's figures (`start` is epoch ms, a multiple of the bucket size). Percentiles are
 * nearest-rank as in the summary; a bucket with no requests is absent from the query's answer.
 */
export interface AnalyticsBucketRow {
  start: number;
  requests: number;
  errors: number;
  costUsd: number;
  p50LatencyMs: number;
  p95LatencyMs: number;
  p99LatencyMs: number;
  p95TimeToFirstTokenMs: number | null;
}

/** One group's counts, tokens and cost, without percentiles. */
export interface AnalyticsTotalsRow {
  group: string | null;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Totals of one UTC day (and group), read from the daily roll-up. */
export interface AnalyticsDailyRow {
  day: string;
  group: string | null;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export const dayMs = 86_400_000;
