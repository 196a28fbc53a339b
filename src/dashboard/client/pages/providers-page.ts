import type { CircuitState, ProvidersResponse } from '../api-types.ts';
import { getJson } from '../api-client.ts';
import { dataTable, shareBar } from '../components/data-table.ts';
import { kpiCard, kpiGrid } from '../components/kpi-card.ts';
import { panel } from '../components/panel.ts';
import { errorRateTone, statusPill, type Tone } from '../components/status-pill.ts';
import { summaryTable } from '../components/summary-table.ts';
import { box, element } from '../dom.ts';
import { formatCount, formatDateTime, formatPercent, formatRelativeTime } from '../format.ts';
import type { PageDefinition, PageView } from './page-definition.ts';

type Circuit = ProvidersResponse['circuits'][number];

const circuitLooks: Record<CircuitState, { text: string; tone: Tone; order: number }> = {
  open: { text: 'Open', tone: 'bad', order: 0 },
  'half-open': { text: 'Half-open', tone: 'warning', order: 1 },
  closed: { text: 'Closed', tone: 'good', order: 2 },
};

/** An unknown state from a newer server still renders, as a grey pill. */
const circuitLook = (state: string): { text: string; tone: Tone; order: number } =>
  circuitLooks[state as CircuitState] ?? { text: state, tone: 'neutral', order: 3 };

const build = (data: ProvidersResponse): PageView => {
  const circuits = data.circuits.toSorted((a, b) => circuitLook(a.state).order - circuitLook(b.state).order || a.deployment.localeCompare(b.deployment));
  const open = circuits.filter((circuit) => circuit.state === 'open').length;
  const halfOpen = circuits.filter((circuit) => circuit.state === 'half-open').length;
  const errors = data.errorsByCode.reduce((sum, entry) => sum + entry.requests, 0);
  const requestsLastHour = data.deployments.reduce((sum, entry) => sum + entry.requests, 0);
  const errorsLastHour = data.deployments.reduce((sum, entry) => sum + entry.errors, 0);
  const errorRate = requestsLastHour > 0 ? errorsLastHour / requestsLastHour : null;
  return {
    content: [
      kpiGrid([
        kpiCard({ label: 'Deployments', value: formatCount(circuits.length), detail: 'with a circuit breaker', testId: 'kpi-deployments' }),
        kpiCard({ label: 'Open circuits', value: formatCount(open), tone: open > 0 ? 'bad' : null, detail: halfOpen > 0 ? `${formatCount(halfOpen)} half-open` : 'none probing', testId: 'kpi-open-circuits' }),
        kpiCard({ label: 'Error rate, last hour', value: formatPercent(errorRate), tone: errorRateTone(errorRate), detail: `${formatCount(requestsLastHour)} requests`, testId: 'kpi-provider-error-rate' }),
        kpiCard({ label: 'Errors, last 24 h', value: formatCount(errors), detail: `${formatCount(data.errorsByCode.length)} distinct codes`, testId: 'kpi-errors-24h' }),
      ]),
      panel({
        title: 'Circuit breakers',
        subtitle: 'open circuits first',
        className: 'flush',
        body: [
          dataTable<Circuit>({
            columns: [
              { header: 'Deployment', className: 'group-column', cell: (circuit) => element('code', { text: circuit.deployment, title: circuit.deployment }) },
              { header: 'State', cell: (circuit) => statusPill(circuitLook(circuit.state).text, circuitLook(circuit.state).tone) },
              { header: 'Consecutive failures', numeric: true, cell: (circuit) => formatCount(circuit.consecutiveFailures) },
              { header: 'Failure rate', numeric: true, cell: (circuit) => formatPercent(circuit.failureRate) },
              { header: 'Opened', numeric: true, cell: (circuit) => element('span', { text: formatRelativeTime(circuit.openedAt), ...(circuit.openedAt === null ? {} : { title: formatDateTime(circuit.openedAt) }) }) },
            ],
            rows: circuits,
            rowClass: (circuit) => `circuit-${circuit.state}`,
            emptyTitle: 'No deployments tracked yet',
            emptyDetail: 'A deployment appears after its first request.',
            testId: 'circuits',
          }),
        ],
      }),
      box('grid grid-2-1', [
        panel({
          title: 'Deployments',
          subtitle: 'last hour',
          className: 'flush',
          body: [summaryTable({ groupHeader: 'Deployment', missingGroup: 'Unknown', rows: data.deployments, columns: ['requests', 'errorRate', 'p50', 'p95'], emptyTitle: 'No requests in the last hour', testId: 'deployments' })],
        }),
        panel({
          title: 'Errors by code',
          subtitle: 'last 24 hours',
          className: 'flush',
          body: [
            dataTable({
              columns: [
                { header: 'Code', className: 'group-column', cell: (entry) => (entry.code === null ? element('span', { className: 'muted', text: 'unknown' }) : element('code', { text: entry.code })) },
                { header: 'Requests', numeric: true, className: 'share-column', cell: (entry) => shareBar(errors > 0 ? entry.requests / errors : 0, formatCount(entry.requests)) },
              ],
              rows: data.errorsByCode.toSorted((a, b) => b.requests - a.requests),
              emptyTitle: 'No errors in the last 24 hours',
              testId: 'errors-by-code',
            }),
          ],
        }),
      ]),
    ],
  };
};

export const providersPage: PageDefinition = {
  name: 'providers',
  title: 'Providers',
  description: () => 'Circuit breakers, deployment health and errors',
  ranges: [],
  defaultRange: '24h',
  autoRefresh: true,
  load: async (context) => {
    const data = await getJson<ProvidersResponse>('providers', context.signal);
    return () => build(data);
  },
};
