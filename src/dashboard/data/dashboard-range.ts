import { dayMs } from '../../stores/request-analytics/analytics-query.ts';

export const dashboardRanges = ['24h', '7d', '30d'] as const;
export type DashboardRange = (typeof dashboardRanges)[number];

export interface DashboardWindow {
  since: number;
  until: number;
  bucketMs: number;
}

const hourMs = 3_600_000;

/**
 * The window a range covers and its chart buckets: the last 24 whole-or-current hours by hour, or the
 * last 7 / 30 UTC days (today included) by day. Windows start on a bucket boundary so the first bucket
 * is whole, and end now (exclusive of the future).
 */
export const dashboardWindow = (range: DashboardRange, now: number): DashboardWindow => {
  if (range === '24h') return { since: Math.floor(now / hourMs) * hourMs - 23 * hourMs, until: now + 1, bucketMs: hourMs };
  const days = range === '7d' ? 7 : 30;
  return { since: Math.floor(now / dayMs) * dayMs - (days - 1) * dayMs, until: now + 1, bucketMs: dayMs };
};

/** Midnight UTC of `now`'s day, and of the first day of its month. */
export const startOfUtcDay = (now: number): number => Math.floor(now / dayMs) * dayMs;
export const startOfUtcMonth = (now: number): number => {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
};
