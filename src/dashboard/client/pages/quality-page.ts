import type { QualityAlert, QualityResponse, QualityRoute } from '../api-types.ts';
import { getJson } from '../api-client.ts';
import { timeSeriesChart, type ChartTheme } from '../charts.ts';
import { chartPanel } from '../components/chart-panel.ts';
import { dataTable } from '../components/data-table.ts';
import { emptyState } from '../components/empty-state.ts';
import { kpiCard, kpiGrid } from '../components/kpi-card.ts';
import { panel } from '../components/panel.ts';
import { describeRange } from '../components/range-selector.ts';
import { statusPill, type Tone } from '../components/status-pill.ts';
import { box, element } from '../dom.ts';
import { formatChange, formatCount, formatDateTime, formatDay, formatRelativeTime, formatScore } from '../format.ts';
import type { PageContext, PageDefinition, PageView } from './page-definition.ts';

/** One line per route over the days of the range; a day without scores is a gap the line spans. */
export const routeScoreChart = (daily: QualityResponse['daily'], theme: ChartTheme) => {
  const days = [...new Set(daily.map((entry) => entry.day))].toSorted();
  const routes = [...new Set(daily.map((entry) => entry.route))].toSorted();
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const scores = new Map(routes.map((route) => [route, days.map((): number | null => null)]));
  for (const entry of daily) {
    const index = dayIndex.get(entry.day);
    const row = scores.get(entry.route);
    if (index !== undefined && row !== undefined) row[index] = entry.score;
  }
  const config = timeSeriesChart({
    labels: days.map(formatDay),
    format: (value) => value.toFixed(2),
    // Scores sit in a narrow band; an axis from 0 would flatten the drops this chart exists to show.
    zeroBased: false,
    maximum: 1,
    legend: true,
    series: routes.map((route, index) => ({ label: route, kind: 'line', color: theme.palette[index % theme.palette.length] ?? theme.accent, data: scores.get(route) ?? [] })),
  });
  return { config, points: days.length, hasScores: daily.some((entry) => entry.score !== null) };
};

/**
 * Changes smaller than this are shown as steady: a score of 0.99 against 0.992 is sampling noise, and
 * painting it red would teach people to ignore red. Regression alerts use their own threshold (10%).
 */
const noticeableChange = 0.02;
const isDropping = (change: number | null): boolean => change !== null && change <= -noticeableChange;

/** A change in score: red when the route is getting worse, green when better, grey when steady. */
const changeCell = (change: number | null): HTMLElement => {
  if (change === null || Math.abs(change) < noticeableChange) return element('span', { className: 'muted', text: formatChange(change) });
  const dropping = change < 0;
  return element('span', { className: dropping ? 'text-bad change' : 'text-good change', text: `${dropping ? '▼' : '▲'} ${formatChange(change)}` });
};

const scoreWithSamples = (score: number | null, samples: number): HTMLElement =>
  element('span', { className: 'stacked-cell align-end' }, [element('span', { text: formatScore(score) }), element('span', { className: 'cell-note', text: `${formatCount(samples)} samples` })]);

const routesTable = (routes: readonly QualityRoute[]): HTMLElement =>
  dataTable<QualityRoute>({
    columns: [
      { header: 'Route', className: 'group-column', cell: (route) => element('code', { text: route.route, title: route.route }) },
      { header: 'Current', numeric: true, cell: (route) => scoreWithSamples(route.currentScore, route.currentSamples) },
      { header: 'Previous', numeric: true, cell: (route) => scoreWithSamples(route.previousScore, route.previousSamples) },
      { header: 'Change', numeric: true, cell: (route) => changeCell(route.change) },
    ],
    rows: routes,
    rowClass: (route) => (isDropping(route.change) ? 'is-dropping' : ''),
    emptyTitle: 'No scored routes yet',
    emptyDetail: 'Answered requests get scores from output validation and finish reasons, and from POST /v1/feedback.',
    testId: 'quality-routes',
  });

const alertItem = (alert: QualityAlert): HTMLElement => {
  const open = alert.resolvedAt === null;
  return element('li', { className: 'alert-item' }, [
    box('alert-item-main', [
      statusPill(open ? 'Open' : 'Resolved', open ? 'bad' : 'neutral'),
      element('code', { text: alert.route }),
      element('span', { className: 'text-bad change', text: formatChange(-Math.abs(alert.drop)) }),
    ]),
    element('p', {
      className: 'alert-item-detail',
      text: `${formatScore(alert.previousScore)} → ${formatScore(alert.currentScore)} · ${formatCount(alert.previousSamples)} vs ${formatCount(alert.currentSamples)} samples`,
    }),
    element('p', {
      className: 'alert-item-time',
      text: open ? `Raised ${formatRelativeTime(alert.raisedAt)}` : `Raised ${formatDateTime(alert.raisedAt)}, resolved ${formatRelativeTime(alert.resolvedAt)}`,
      title: formatDateTime(alert.raisedAt),
    }),
  ]);
};

const scoreTone = (score: number): Tone => (score >= 0.7 ? 'good' : score >= 0.4 ? 'warning' : 'bad');

const build = (data: QualityResponse, context: PageContext): PageView => {
  const chart = routeScoreChart(data.daily, context.theme);
  const openAlerts = data.alerts.filter((alert) => alert.resolvedAt === null);
  const feedbackCount = data.daily.reduce((sum, entry) => sum + entry.feedbackCount, 0);
  const dropping = data.routes.filter((route) => isDropping(route.change)).length;
  return {
    alerts: openAlerts,
    content: [
      kpiGrid([
        kpiCard({ label: 'Open alerts', value: formatCount(openAlerts.length), tone: openAlerts.length > 0 ? 'bad' : null, detail: `${formatCount(data.alerts.length)} raised recently`, testId: 'kpi-open-alerts' }),
        kpiCard({ label: 'Routes scored', value: formatCount(data.routes.length), detail: dropping === 0 ? 'none dropping' : `${formatCount(dropping)} dropping`, testId: 'kpi-routes' }),
        kpiCard({ label: 'Feedback', value: formatCount(feedbackCount), detail: describeRange(context.range), testId: 'kpi-feedback' }),
      ]),
      chartPanel({
        charts: context.charts,
        name: 'quality-scores',
        title: 'Score by route',
        subtitle: 'mean score per UTC day: user feedback where given, else automatic signals; 0 worst, 1 best',
        config: chart.hasScores ? chart.config : null,
        points: chart.points,
        tall: true,
        emptyTitle: 'No feedback in this range',
        emptyDetail: 'Scores appear once clients send feedback with POST /v1/feedback.',
      }),
      box('grid grid-2', [
        panel({ title: 'Routes', subtitle: 'current period against the one before', className: 'flush', body: [routesTable(data.routes)] }),
        panel({
          title: 'Alerts',
          subtitle: 'open and resolved, newest first',
          body: [
            data.alerts.length === 0
              ? emptyState('No quality alerts', 'An alert is raised when a route’s score drops against its previous period.')
              : element('ul', { className: 'alert-list', attributes: { 'data-testid': 'quality-alerts' } }, data.alerts.map(alertItem)),
          ],
        }),
      ]),
      panel({
        title: 'Recent feedback',
        className: 'flush',
        body: [
          dataTable({
            columns: [
              { header: 'When', cell: (entry) => element('span', { text: formatRelativeTime(entry.createdAt), title: formatDateTime(entry.createdAt) }) },
              { header: 'Request', cell: (entry) => element('code', { className: 'truncate', text: entry.requestId, title: entry.requestId }) },
              { header: 'Score', numeric: true, cell: (entry) => statusPill(formatScore(entry.score), scoreTone(entry.score)) },
              { header: 'Comment', className: 'wide', cell: (entry) => (entry.comment === null || entry.comment === '' ? element('span', { className: 'muted', text: 'No comment' }) : element('span', { className: 'comment', text: entry.comment })) },
            ],
            rows: data.recentFeedback,
            emptyTitle: 'No feedback yet',
            testId: 'recent-feedback',
          }),
        ],
      }),
    ],
  };
};

export const qualityPage: PageDefinition = {
  name: 'quality',
  title: 'Quality',
  description: (range) => `Quality scores per route over the ${describeRange(range)}`,
  ranges: ['7d', '30d'],
  defaultRange: '30d',
  autoRefresh: true,
  load: async (context) => {
    const data = await getJson<QualityResponse>(`quality?range=${context.range}`, context.signal);
    return () => build(data, context);
  },
};
