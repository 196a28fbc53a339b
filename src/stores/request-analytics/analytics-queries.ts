import type { DatabaseSync } from 'node:sqlite';
import { QualityAnalytics } from './quality-analytics.ts';
import { RequestAnalytics } from './request-analytics.ts';

/**
 * Every read-only query the admin analytics API, the dashboard and `bulwark stats` make, by name. One
 * table of names is what lets the same queries run inline (tests, an in-memory database) or on the
 * analytics worker thread (`AnalyticsWorker`), where a query over a million rows cannot stall the
 * gateway's event loop.
 */
export const createAnalyticsQueries = (database: DatabaseSync) => {
  const requests = new RequestAnalytics(database);
  const quality = new QualityAnalytics(database);
  return {
    summary: requests.summary.bind(requests),
    totals: requests.totals.bind(requests),
    daily: requests.daily.bind(requests),
    requests: requests.requests.bind(requests),
    series: requests.series.bind(requests),
    tail: requests.tail.bind(requests),
    routeQuality: quality.routeQuality.bind(quality),
    compareRouteQuality: quality.compareRouteQuality.bind(quality),
    recentFeedback: quality.recentFeedback.bind(quality),
    listAlerts: quality.listAlerts.bind(quality),
  };
};

export type AnalyticsQueries = ReturnType<typeof createAnalyticsQueries>;
export type AnalyticsQueryName = keyof AnalyticsQueries;

/** The same queries, answered asynchronously: what callers outside the worker hold. */
export type AnalyticsReader = {
  [Name in AnalyticsQueryName]: (...parameters: Parameters<AnalyticsQueries[Name]>) => Promise<ReturnType<AnalyticsQueries[Name]>>;
} & { close(): Promise<void> };

/** Runs the queries on the caller's thread: for tests and for an in-memory database, which has no file a worker could open. */
export const createInlineAnalyticsReader = (database: DatabaseSync): AnalyticsReader => {
  const queries = createAnalyticsQueries(database);
  const reader: Record<string, unknown> = { close: async () => {} };
  for (const [name, query] of Object.entries(queries)) {
    reader[name] = async (...parameters: unknown[]) => (query as (...values: unknown[]) => unknown)(...parameters);
  }
  return reader as AnalyticsReader;
};
