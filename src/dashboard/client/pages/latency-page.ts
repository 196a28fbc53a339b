import type { LatencyResponse } from '../api-types.ts';
import { getJson } from '../api-client.ts';
import { timeSeriesChart } from '../charts.ts';
import { chartPanel } from '../components/chart-panel.ts';
import { panel } from '../components/panel.ts';
import { describeRange } from '../components/range-selector.ts';
import { summaryTable } from '../components/summary-table.ts';
import { box } from '../dom.ts';
import { formatBucketLabel, formatMs, formatMsAxis } from '../format.ts';
import { percentileChart } from './overview-page.ts';
import type { PageContext, PageDefinition, PageView } from './page-definition.ts';

const build = (data: LatencyResponse, context: PageContext): PageView => {
  const series = data.series;
  const bucketWord = context.range === '24h' ? 'hour' : 'day';
  const hasLatency = series.some((bucket) => bucket.p50LatencyMs !== null);
  const hasTimeToFirstToken = series.some((bucket) => bucket.p95TimeToFirstTokenMs !== null);
  return {
    content: [
      chartPanel({
        charts: context.charts,
        name: 'latency-percentiles',
        title: 'Latency percentiles',
        subtitle: `P50, P95 and P99 of the whole request, per ${bucketWord}`,
        config: hasLatency ? percentileChart(series, context.range, context.theme) : null,
        points: series.length,
        tall: true,
        emptyTitle: 'No requests in this range',
      }),
      chartPanel({
        charts: context.charts,
        name: 'latency-ttfb',
        title: 'Time to first token',
        subtitle: `P95 of streamed requests, per ${bucketWord}`,
        config: hasTimeToFirstToken
          ? timeSeriesChart({
              labels: series.map((bucket) => formatBucketLabel(bucket.start, context.range)),
              format: formatMs,
              axisFormat: formatMsAxis,
              series: [{ label: 'TTFB P95', kind: 'line', color: context.theme.accent, fill: true, data: series.map((bucket) => bucket.p95TimeToFirstTokenMs) }],
            })
          : null,
        points: series.length,
        emptyTitle: 'No streamed requests in this range',
        emptyDetail: 'Time to first token is measured on streaming responses only.',
      }),
      box('grid', [
        panel({
          title: 'By model',
          className: 'flush',
          body: [summaryTable({ groupHeader: 'Model', missingGroup: 'Unknown', rows: data.byModel, columns: ['requests', 'p50', 'p95', 'p99', 'ttfb95'], emptyTitle: 'No model latency yet', testId: 'latency-by-model' })],
        }),
        panel({
          title: 'By provider',
          className: 'flush',
          body: [summaryTable({ groupHeader: 'Provider', missingGroup: 'None (rejected early)', rows: data.byProvider, columns: ['requests', 'p50', 'p95', 'p99', 'ttfb95'], emptyTitle: 'No provider latency yet', testId: 'latency-by-provider' })],
        }),
      ]),
    ],
  };
};

export const latencyPage: PageDefinition = {
  name: 'latency',
  title: 'Latency',
  description: (range) => `End-to-end latency and time to first token over the ${describeRange(range)}`,
  ranges: ['24h', '7d', '30d'],
  defaultRange: '24h',
  autoRefresh: true,
  load: async (context) => {
    const data = await getJson<LatencyResponse>(`latency?range=${context.range}`, context.signal);
    return () => build(data, context);
  },
};
