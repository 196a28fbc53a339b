import { box, element, icon } from '../dom.ts';

const chartIcon = ['M4 19h16', 'M7 15l3-4 3 2 4-6'];

/** What a panel shows before there is data: a quiet sentence, not an empty frame. */
export const emptyState = (title: string, detail?: string): HTMLDivElement =>
  box('empty-state', [
    icon(chartIcon, 'icon empty-state-icon'),
    element('p', { className: 'empty-state-title', text: title }),
    detail === undefined ? null : element('p', { className: 'empty-state-detail', text: detail }),
  ]);
