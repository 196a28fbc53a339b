import type { CostsResponse } from '../api-types.ts';
import { getJson } from '../api-client.ts';
import { timeSeriesChart, type ChartTheme, type Series } from '../charts.ts';
import { chartPanel } from '../components/chart-panel.ts';
import { forecastCard } from '../components/forecast-card.ts';
import { kpiCard, kpiGrid } from '../components/kpi-card.ts';
import { panel } from '../components/panel.ts';
import { describeRange } from '../components/range-selector.ts';
import { summaryTable } from '../components/summary-table.ts';
import { box, element } from '../dom.ts';
import { formatCount, formatDay, formatMonth, formatUsd, formatUsdAxis } from '../format.ts';
import { budgetSection } from './budget-panel.ts';
import type { PageContext, PageDefinition, PageView } from './page-definition.ts';

/** Beyond this many models the stack is unreadable; the rest share one "Other" layer. */
const maxStackedModels = 6;

/**
 * Daily spend with one bar layer per model. Days come from both lists, so a day with spend but no
 * per-model row still gets its bar slot.
 */
export const dailySpendChart = (data: Pick<CostsResponse, 'daily' | 'dailyByModel'>, theme: ChartTheme) => {
  const days = [...new Set([...data.daily.map((entry) => entry.day), ...data.dailyByModel.map((entry) => entry.day)])].toSorted();
  const totals = new Map<string, number>();
  for (const entry of data.dailyByModel) totals.set(entry.group ?? 'Unknown', (totals.get(entry.group ?? 'Unknown') ?? 0) + entry.costUsd);
  const ranked = [...totals.entries()].toSorted((a, b) => b[1] - a[1]).map(([model]) => model);
  const shown = ranked.length > maxStackedModels ? ranked.slice(0, maxStackedModels - 1) : ranked;
  const layerOf = (model: string): string => (shown.includes(model) ? model : 'Other');
  const layers = [...shown, ...(ranked.length > shown.length ? ['Other'] : [])];
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const values = new Map(layers.map((layer) => [layer, days.map(() => 0)]));
  for (const entry of data.dailyByModel) {
    const row = values.get(layerOf(entry.group ?? 'Unknown'));
    const index = dayIndex.get(entry.day);
    if (row !== undefined && index !== undefined) row[index] = (row[index] ?? 0) + entry.costUsd;
  }
  const series: Series[] = layers.map((layer, index) => ({
    label: layer,
    kind: 'bar',
    stack: 'spend',
    color: layer === 'Other' ? theme.muted : (theme.palette[index % theme.palette.length] ?? theme.accent),
    data: values.get(layer) ?? [],
  }));
  // No per-model rows (an older server, or only unattributed spend): one layer of the daily totals.
  if (series.length === 0) {
    series.push({ label: 'Spend', kind: 'bar', stack: 'spend', color: theme.accent, data: days.map((day) => data.daily.find((entry) => entry.day === day)?.costUsd ?? 0) });
  }
  return { config: timeSeriesChart({ labels: days.map(formatDay), stacked: true, format: formatUsd, axisFormat: formatUsdAxis, series, legend: true }), points: days.length };
};

/** Under a key's name: its team and id ("support · vk_12ab"), or "no team". */
const keyNote = (row: CostsResponse['byKey'][number]): string =>
  [row.team, row.keyName === null ? null : row.group].filter((part) => part !== null).join(' · ') || 'no team';

const build = (data: CostsResponse, context: PageContext): PageView => {
  const spend = data.daily.reduce((sum, entry) => sum + entry.costUsd, 0);
  const requests = data.daily.reduce((sum, entry) => sum + entry.requests, 0);
  const days = data.daily.length;
  const forecast = data.forecast;
  const chart = dailySpendChart(data, context.theme);
  const hasSpend = data.daily.some((entry) => entry.costUsd > 0) || data.dailyByModel.some((entry) => entry.costUsd > 0);
  return {
    content: [
      kpiGrid([
        kpiCard({
          label: `Spend, ${describeRange(context.range)}`,
          value: formatUsd(spend),
          detail: days > 0 ? `${formatCount(requests)} requests · ${formatUsd(spend / days)} a day` : 'no spend recorded',
          testId: 'kpi-range-spend',
        }),
        kpiCard({ label: 'Month to date', value: formatUsd(forecast?.actualToDateUsd), detail: forecast ? formatMonth(forecast.month) : 'this month', testId: 'kpi-month-to-date' }),
        forecastCard({
          label: forecast ? `Forecast, ${formatMonth(forecast.month)}` : 'Forecast',
          forecastUsd: forecast?.forecastUsd,
          lowUsd: forecast?.lowUsd,
          highUsd: forecast?.highUsd,
          actualUsd: forecast?.actualToDateUsd ?? null,
          ...(forecast ? { method: `${forecast.method}, ${formatCount(forecast.historyDays)} days of history` } : {}),
          testId: 'kpi-forecast',
        }),
        forecastCard({
          label: forecast ? `Forecast, ${formatMonth(forecast.nextMonth.month)}` : 'Next month',
          forecastUsd: forecast?.nextMonth.forecastUsd,
          lowUsd: forecast?.nextMonth.lowUsd,
          highUsd: forecast?.nextMonth.highUsd,
          testId: 'kpi-forecast-next',
        }),
      ]),
      chartPanel({
        charts: context.charts,
        name: 'costs-daily',
        title: 'Daily spend',
        subtitle: 'by model, UTC days',
        config: hasSpend ? chart.config : null,
        points: chart.points,
        tall: true,
        emptyTitle: 'No spend in this range',
        emptyDetail: 'Costs are computed from token counts and the price catalog as requests complete.',
      }),
      budgetSection(data.budgets, context),
      box('grid grid-2', [
        panel({
          title: 'By model',
          className: 'flush',
          body: [summaryTable({ groupHeader: 'Model', missingGroup: 'Unknown', rows: data.byModel, columns: ['requests', 'tokens', 'costShare'], emptyTitle: 'No model spend yet', testId: 'costs-by-model' })],
        }),
        panel({
          title: 'By team',
          className: 'flush',
          body: [summaryTable({ groupHeader: 'Team', missingGroup: 'No team', rows: data.byTeam, columns: ['requests', 'tokens', 'costShare'], emptyTitle: 'No team spend yet', emptyDetail: 'Teams come from the keys that made the requests.', testId: 'costs-by-team' })],
        }),
        panel({
          title: 'By key',
          className: 'flush',
          body: [
            summaryTable({
              groupHeader: 'Key',
              missingGroup: 'No key',
              rows: data.byKey,
              columns: ['requests', 'tokens', 'costShare'],
              groupCell: (row) =>
                row.group === null
                  ? element('span', { className: 'muted', text: 'No key' })
                  : element('span', { className: 'stacked-cell' }, [
                      element('span', { className: 'group-name', text: row.keyName ?? row.group, title: row.keyName ?? row.group }),
                      element('span', { className: 'cell-note', text: keyNote(row), title: keyNote(row) }),
                    ]),
              emptyTitle: 'No key spend yet',
              testId: 'costs-by-key',
            }),
          ],
        }),
        panel({
          title: 'By end user',
          subtitle: 'top 20',
          className: 'flush',
          body: [summaryTable({ groupHeader: 'End user', missingGroup: 'Not set', rows: data.byEndUser, columns: ['requests', 'tokens', 'costShare'], emptyTitle: 'No end users recorded', emptyDetail: 'Requests that name an end user (the user field) are attributed here.', testId: 'costs-by-end-user' })],
        }),
      ]),
    ],
  };
};

export const costsPage: PageDefinition = {
  name: 'costs',
  title: 'Costs',
  description: (range) => `Spend by model, key, team and end user over the ${describeRange(range)}`,
  ranges: ['7d', '30d'],
  defaultRange: '30d',
  autoRefresh: true,
  load: async (context) => {
    const data = await getJson<CostsResponse>(`costs?range=${context.range}`, context.signal);
    return () => build(data, context);
  },
};
