import { box, element } from '../dom.ts';
import { formatUsd } from '../format.ts';
import { kpiCard } from './kpi-card.ts';

export interface ForecastCardOptions {
  label: string;
  forecastUsd: number | null | undefined;
  lowUsd: number | null | undefined;
  highUsd: number | null | undefined;
  /** Spend so far this month, drawn as the filled part of the bar. */
  actualUsd?: number | null;
  /** How the forecast was made, shown on hover ("linear, 21 days of history"). */
  method?: string;
  testId?: string;
}

const isNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * A forecast with its uncertainty: the figure, its low–high range in words, and a bar where the band is
 * the range, the tick the forecast and the fill what is already spent.
 */
export const forecastCard = (options: ForecastCardOptions): HTMLElement => {
  const { forecastUsd, lowUsd, highUsd } = options;
  if (!isNumber(forecastUsd) || !isNumber(lowUsd) || !isNumber(highUsd)) {
    return kpiCard({ label: options.label, value: formatUsd(forecastUsd), detail: 'not enough history yet', ...(options.testId === undefined ? {} : { testId: options.testId }) });
  }
  const actual = isNumber(options.actualUsd) ? options.actualUsd : null;
  const scale = Math.max(highUsd, forecastUsd, actual ?? 0) * 1.08 || 1;
  const position = (value: number): string => `${Math.max(0, Math.min(100, (value / scale) * 100))}%`;
  const band = element('span', { className: 'range-bar-band' });
  band.style.left = position(lowUsd);
  band.style.width = `calc(${position(highUsd)} - ${position(lowUsd)})`;
  const marker = element('span', { className: 'range-bar-marker' });
  marker.style.left = position(forecastUsd);
  const fill = element('span', { className: 'range-bar-fill' });
  fill.style.width = position(actual ?? 0);
  const bar = element('span', { className: 'range-bar', attributes: { 'aria-hidden': 'true' } }, [band, actual === null ? null : fill, marker]);
  return kpiCard({
    label: options.label,
    value: formatUsd(forecastUsd),
    detail: box('forecast-detail', [bar, element('span', { text: `range ${formatUsd(lowUsd)} – ${formatUsd(highUsd)}`, ...(options.method === undefined ? {} : { title: options.method }) })]),
    ...(options.testId === undefined ? {} : { testId: options.testId }),
  });
};
