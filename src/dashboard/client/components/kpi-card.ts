import { box, element, type Child } from '../dom.ts';
import type { Tone } from './status-pill.ts';

export interface KpiCardOptions {
  label: string;
  value: string;
  /** A line under the figure that gives it context ("of 12,480 requests", "range $410–$520"). */
  detail?: Child;
  tone?: Tone | null;
  testId?: string;
  /** Extra figures beside the main one, such as P95 and P99 next to P50. */
  secondary?: { label: string; value: string }[];
}

/** One headline figure. The value uses tabular numbers so cards line up as the figures change. */
export const kpiCard = (options: KpiCardOptions): HTMLElement => {
  const tone = options.tone ?? null;
  return element(
    'article',
    { className: `kpi${tone === null ? '' : ` kpi-${tone}`}`, ...(options.testId === undefined ? {} : { attributes: { 'data-testid': options.testId } }) },
    [
      element('h3', { className: 'kpi-label', text: options.label }),
      box('kpi-figures', [
        element('p', { className: 'kpi-value', text: options.value }),
        ...(options.secondary ?? []).map((figure) =>
          box('kpi-secondary', [element('span', { className: 'kpi-secondary-label', text: figure.label }), element('span', { className: 'kpi-secondary-value', text: figure.value })]),
        ),
      ]),
      options.detail === undefined ? null : element('p', { className: 'kpi-detail' }, [options.detail]),
    ],
  );
};

/** A row of KPI cards; the stylesheet picks columns from the count (six wrap to three, four to two). */
export const kpiGrid = (cards: HTMLElement[]): HTMLDivElement => box(`kpi-grid kpi-count-${cards.length}`, cards);
