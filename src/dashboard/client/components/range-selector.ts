import { element } from '../dom.ts';

const labels: Record<string, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' };

/** A segmented control for the page's time range; the choice goes into the URL through `onSelect`. */
export const rangeSelector = (ranges: readonly string[], current: string, onSelect: (range: string) => void): HTMLElement =>
  element(
    'div',
    { className: 'segmented', attributes: { role: 'group', 'aria-label': 'Time range', 'data-testid': 'range-selector' } },
    ranges.map((range) => {
      const button = element('button', {
        className: range === current ? 'segment is-selected' : 'segment',
        text: labels[range] ?? range,
        attributes: { type: 'button', 'aria-pressed': String(range === current), 'data-range': range },
      });
      button.addEventListener('click', () => onSelect(range));
      return button;
    }),
  );

/** The range label used in subtitles: "last 7 days". */
export const describeRange = (range: string): string => `last ${labels[range] ?? range}`;
