import { box, element, type Child } from '../dom.ts';

export interface PanelOptions {
  title: string;
  subtitle?: string;
  /** Controls on the right of the header (a legend note, a button). */
  actions?: Child[];
  body: Child[];
  /** Extra classes: `span-2` for a panel two grid columns wide, `flush` for a table edge to edge. */
  className?: string;
  testId?: string;
}

/** A titled card, the dashboard's one container for charts, tables and lists. */
export const panel = (options: PanelOptions): HTMLElement => {
  const header = box('panel-header', [
    box('panel-heading', [
      element('h2', { className: 'panel-title', text: options.title }),
      options.subtitle === undefined ? null : element('p', { className: 'panel-subtitle', text: options.subtitle }),
    ]),
    options.actions === undefined ? null : box('panel-actions', options.actions),
  ]);
  return element(
    'section',
    { className: `panel${options.className === undefined ? '' : ` ${options.className}`}`, ...(options.testId === undefined ? {} : { attributes: { 'data-testid': options.testId } }) },
    [header, box('panel-body', options.body)],
  );
};
