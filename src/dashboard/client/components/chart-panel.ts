import type { ChartConfig, ChartRegistry } from '../charts.ts';
import type { Child } from '../dom.ts';
import { emptyState } from './empty-state.ts';
import { panel } from './panel.ts';

export interface ChartPanelOptions {
  charts: ChartRegistry;
  /** The chart's stable name: the canvas gets `data-testid="chart-<name>"`. */
  name: string;
  title: string;
  subtitle?: string;
  /** Null when there is nothing to draw; the panel then shows `emptyTitle`. */
  config: ChartConfig | null;
  points: number;
  emptyTitle: string;
  emptyDetail?: string;
  className?: string;
  actions?: Child[];
  /** A taller plot for the page's main chart. */
  tall?: boolean;
}

/**
 * A panel around one chart. Without data the canvas stays in the page (hidden, `data-points="0"`) so
 * the chart's test id is always present, and an empty state takes its place on screen.
 */
export const chartPanel = (options: ChartPanelOptions): HTMLElement => {
  const holder = options.charts.render(options.name, options.config, options.points);
  holder.classList.toggle('chart-tall', options.tall === true);
  return panel({
    title: options.title,
    ...(options.subtitle === undefined ? {} : { subtitle: options.subtitle }),
    ...(options.className === undefined ? {} : { className: options.className }),
    ...(options.actions === undefined ? {} : { actions: options.actions }),
    body: [holder, options.config === null ? emptyState(options.emptyTitle, options.emptyDetail) : null],
  });
};
