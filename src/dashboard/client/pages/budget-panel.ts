import type { BudgetBurnDown } from '../api-types.ts';
import { timeSeriesChart, withAlpha, type ChartTheme } from '../charts.ts';
import { chartPanel } from '../components/chart-panel.ts';
import { statusPill, type Tone } from '../components/status-pill.ts';
import { box, element } from '../dom.ts';
import { formatDay, formatUsd, formatUsdAxis } from '../format.ts';
import type { PageContext } from './page-definition.ts';

/** "team research", "key k_12ab, model gpt-4o", or "all traffic" for a budget without a scope. */
export const describeBudgetScope = (scope: BudgetBurnDown['scope']): string => {
  const parts = (['team', 'key', 'model'] as const).flatMap((field) => (typeof scope[field] === 'string' ? [`${field} ${scope[field]}`] : []));
  return parts.length === 0 ? 'all traffic' : parts.join(', ');
};

/** Where a budget stands: spent, running out before month end, at risk at the high forecast, or fine. */
export const budgetStatus = (budget: BudgetBurnDown): { text: string; tone: Tone } => {
  if (budget.spentUsd >= budget.monthlyUsd) return { text: 'Exhausted', tone: 'bad' };
  if (budget.projectedExhaustionDay !== null) return { text: `Runs out ${formatDay(budget.projectedExhaustionDay)}`, tone: 'bad' };
  if (budget.highUsd > budget.monthlyUsd) return { text: 'At risk', tone: 'warning' };
  return { text: 'On track', tone: 'good' };
};

/** Actual spend (solid), the even-spend ideal (dashed grey), the forecast path (dashed accent) and the limit. */
export const burnDownChart = (budget: BudgetBurnDown, theme: ChartTheme) =>
  timeSeriesChart({
    labels: budget.daily.map((entry) => formatDay(entry.day)),
    format: formatUsd,
    axisFormat: formatUsdAxis,
    series: [
      { label: 'Spent', kind: 'line', color: theme.accent, fill: true, data: budget.daily.map((entry) => entry.cumulativeUsd) },
      { label: 'Forecast', kind: 'line', color: theme.accentMuted, dashed: true, data: budget.daily.map((entry) => entry.forecastCumulativeUsd) },
      { label: 'Even pace', kind: 'line', color: theme.muted, dashed: true, quiet: true, data: budget.daily.map((entry) => entry.idealUsd) },
      { label: 'Budget', kind: 'line', color: withAlpha(theme.red, 0.7), quiet: true, data: budget.daily.map(() => budget.monthlyUsd) },
    ],
  });

const figure = (label: string, value: string, note?: string): HTMLElement =>
  box('budget-figure', [
    element('span', { className: 'budget-figure-label', text: label }),
    element('span', { className: 'budget-figure-value', text: value }),
    note === undefined ? null : element('span', { className: 'budget-figure-note', text: note }),
  ]);

const budgetPanel = (budget: BudgetBurnDown, index: number, context: PageContext): HTMLElement => {
  const status = budgetStatus(budget);
  const used = budget.monthlyUsd > 0 ? budget.spentUsd / budget.monthlyUsd : 0;
  const meterFill = element('span', { className: `meter-fill meter-${status.tone}` });
  meterFill.style.width = `${Math.min(100, Math.max(0, used * 100))}%`;
  const hasDays = budget.daily.length > 0;
  const panelElement = chartPanel({
    charts: context.charts,
    name: `budget-${index}`,
    title: budget.name,
    subtitle: describeBudgetScope(budget.scope),
    actions: [statusPill(status.text, status.tone)],
    config: hasDays ? burnDownChart(budget, context.theme) : null,
    points: budget.daily.length,
    emptyTitle: 'No days in this budget period yet',
  });
  panelElement.setAttribute('data-testid', `budget-${index}`);
  panelElement.setAttribute('data-budget', budget.name);
  const summary = box('budget-summary', [
    box('budget-figures', [
      figure('Spent', formatUsd(budget.spentUsd), `of ${formatUsd(budget.monthlyUsd)}`),
      budget.remainingUsd < 0 ? figure('Over by', formatUsd(-budget.remainingUsd)) : figure('Remaining', formatUsd(budget.remainingUsd)),
      figure('Forecast', formatUsd(budget.forecastUsd), `${formatUsd(budget.lowUsd)} – ${formatUsd(budget.highUsd)}`),
    ]),
    element('span', { className: 'meter', attributes: { role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(budget.monthlyUsd), 'aria-valuenow': String(budget.spentUsd), 'aria-label': 'Budget used' } }, [meterFill]),
  ]);
  panelElement.querySelector('.panel-body')?.prepend(summary);
  return panelElement;
};

/** The budgets, two to a row, or nothing at all when none are configured (budgets are optional). */
export const budgetSection = (budgets: readonly BudgetBurnDown[], context: PageContext): HTMLElement | null => {
  if (budgets.length === 0) return null;
  return element('section', { className: 'section', attributes: { 'aria-label': 'Budgets' } }, [
    element('h2', { className: 'section-title', text: 'Budgets' }),
    box('grid grid-2', budgets.map((budget, index) => budgetPanel(budget, index, context))),
  ]);
};
