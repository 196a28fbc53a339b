import { element } from '../dom.ts';

/** Status colours are reserved for status: good (green), warning (amber), bad (red), neutral (grey). */
export type Tone = 'good' | 'warning' | 'bad' | 'neutral';

export const statusPill = (text: string, tone: Tone): HTMLSpanElement =>
  element('span', { className: `pill pill-${tone}` }, [element('span', { className: 'pill-dot', attributes: { 'aria-hidden': 'true' } }), text]);

/** Error rates a gateway operator should notice: ≥ 5 % is bad, ≥ 1 % a warning, below that unremarkable. */
export const errorRateTone = (rate: number | null | undefined): Tone | null => {
  if (typeof rate !== 'number') return null;
  if (rate >= 0.05) return 'bad';
  if (rate >= 0.01) return 'warning';
  return null;
};

/** The HTTP status of a request as a tone: 2xx/3xx good, 4xx warning, 5xx bad. */
export const httpStatusTone = (status: number): Tone => (status >= 500 ? 'bad' : status >= 400 ? 'warning' : 'good');
