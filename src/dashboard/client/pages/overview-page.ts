import type { Bucket, OverviewResponse } from '../api-types.ts';
import { getJson } from '../api-client.ts';
import { timeSeriesChart, type ChartTheme } from '../charts.ts';
import { chartPanel } from '../components/chart-panel.ts';
import { forecastCard } from '../components/forecast-card.ts';
import { kpiCard, kpiGrid } from '../components/kpi-card.ts';
import { panel } from '../components/panel.ts';
import { errorRateTone } from '../components/status-pill.ts';
import { summaryTable } from '../components/summary-table.ts';
import { box, element } from '../dom.ts';
import { formatBucketLabel, formatCompactCount, formatCount, formatMonth, formatMs, formatMsAxis, formatPercent, formatRate, formatUsd } from '../format.ts';
import type { PageContext, PageDefinition, PageView } from './page-definition.ts';

const range = '24h';

/** Buckets with traffic: an all-empty series draws nothing worth a chart. */
const hasTraffic = (series: readonly Bucket[]): boolean => series.some((bucket) => bucket.requests > 0);

export const trafficChart = (series: readonly Bucket[], bucketRange: string, theme: ChartTheme) =>
  timeSeriesChart({
    labels: series.map((bucket) => formatBucketLabel(bucket.start, bucketRange)),
    stacked: true,
    format: formatCompactCount,
    series: [
      { label: 'Succeeded', kind: 'bar', color: theme.accent, stack: 'requests', data: series.map((bucket) => Math.max(0, bucket.requests - bucket.errors)) },
      { label: 'Errors', kind: 'bar', color: theme.red, stack: 'requests', data: series.map((bucket) => bucket.errors) },
    ],
  });

/** P50, P95 and P99 in one hue, lightest for the rarest, so the eye reads them as one family. */
export const percentileChart = (series: readonly Bucket[], bucketRange: string, theme: ChartTheme) =>
  timeSeriesChart({
    labels: series.map((bucket) => formatBucketLabel(bucket.start, bucketRange)),
    format: formatMs,
    axisFormat: formatMsAxis,
    series: [
      { label: 'P50', kind: 'line', color: theme.accent, fill: true, data: series.map((bucket) => bucket.p50LatencyMs) },
      { label: 'P95', kind: 'line', color: theme.accentMuted, data: series.map((bucket) => bucket.p95LatencyMs) },
      { label: 'P99', kind: 'line', color: theme.muted, dashed: true, quiet: true, data: series.map((bucket) => bucket.p99LatencyMs) },
    ],
  });

const build = (data: OverviewResponse, context: PageContext): PageView => {
  const { totals, spend } = data;
  const forecast = spend.forecast;
  const series = data.series;
  const traffic = hasTraffic(series);
  return {
    // A server without quality tracking may leave `alerts` out: that is "no open alerts", not an error.
    alerts: Array.isArray(data.alerts) ? data.alerts : [],
    content: [
      kpiGrid([
        kpiCard({ label: 'Requests per second', value: formatRate(data.requestsPerSecond), detail: `last 5 min · ${formatCount(totals.requests)} in 24 h`, testId: 'kpi-rps' }),
        kpiCard({
          label: 'Error rate',
          value: formatPercent(totals.requests > 0 ? totals.errorRate : null),
          tone: errorRateTone(totals.requests > 0 ? totals.errorRate : null),
          detail: `${formatCount(totals.errors)} errors in 24 h`,
          testId: 'kpi-error-rate',
        }),
        kpiCard({
          label: 'Latency',
          value: formatMs(totals.p50LatencyMs),
          secondary: [
            { label: 'P95', value: formatMs(totals.p95LatencyMs) },
            { label: 'P99', value: formatMs(totals.p99LatencyMs) },
          ],
          detail: 'P50 over 24 h',
          testId: 'kpi-latency',
        }),
        kpiCard({ label: 'Spend today', value: formatUsd(spend.todayUsd), detail: 'since 00:00 UTC', testId: 'kpi-spend-today' }),
        kpiCard({ label: 'Month to date', value: formatUsd(spend.monthToDateUsd), detail: forecast ? formatMonth(forecast.month) : 'this month', testId: 'kpi-month-to-date' }),
        forecastCard({
          label: 'Month forecast',
          forecastUsd: forecast?.forecastUsd,
          lowUsd: forecast?.lowUsd,
          highUsd: forecast?.highUsd,
          actualUsd: spend.monthToDateUsd,
          ...(forecast ? { method: forecast.method } : {}),
          testId: 'kpi-forecast',
        }),
      ]),
      box('grid grid-2', [
        chartPanel({
          charts: context.charts,
          name: 'overview-traffic',
          title: 'Requests',
          subtitle: 'per hour, errors in red',
          config: traffic ? trafficChart(series, range, context.theme) : null,
          points: series.length,
          emptyTitle: 'No requests in the last 24 hours',
          emptyDetail: 'Traffic appears here as soon as the gateway serves a request.',
        }),
        chartPanel({
          charts: context.charts,
          name: 'overview-latency',
          title: 'Latency',
          subtitle: 'P50, P95 and P99 per hour',
          config: traffic ? percentileChart(series, range, context.theme) : null,
          points: series.length,
          emptyTitle: 'No latency data yet',
        }),
      ]),
      panel({
        title: 'Top models',
        subtitle: 'by requests, last 24 hours',
        className: 'flush',
        actions: [element('a', { className: 'panel-link', text: 'Costs by model', attributes: { href: '#/costs' } })],
        body: [
          summaryTable({
            groupHeader: 'Model',
            missingGroup: 'Unknown',
            rows: data.topModels,
            columns: ['requests', 'errorRate', 'p50', 'p95', 'tokens', 'costShare'],
            emptyTitle: 'No models used yet',
            testId: 'top-models',
          }),
        ],
      }),
    ],
  };
};

export const overviewPage: PageDefinition = {
  name: 'overview',
  title: 'Overview',
  description: () => 'Traffic, latency and spend over the last 24 hours',
  ranges: [],
  defaultRange: range,
  autoRefresh: true,
  load: async (context) => {
    const data = await getJson<OverviewResponse>(`overview?range=${range}`, context.signal);
    return () => build(data, context);
  },
};
