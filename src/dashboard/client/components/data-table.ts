import { box, element, type Child } from '../dom.ts';
import { emptyState } from './empty-state.ts';

export interface Column<Row> {
  header: string;
  /** Numbers align right (and use tabular figures) so their digits line up. */
  numeric?: boolean;
  cell: (row: Row) => Child;
  className?: string;
}

export interface DataTableOptions<Row> {
  columns: Column<Row>[];
  rows: readonly Row[];
  emptyTitle: string;
  emptyDetail?: string;
  testId?: string;
  /** Extra classes per row, such as a status colour. */
  rowClass?: (row: Row) => string;
}

/** A plain table of rows, or an empty state when there are none. Scrolls sideways on narrow screens. */
export const dataTable = <Row>(options: DataTableOptions<Row>): HTMLElement => {
  if (options.rows.length === 0) return emptyState(options.emptyTitle, options.emptyDetail);
  const columnClass = (column: Column<Row>): string =>
    [column.numeric === true ? 'numeric' : '', column.className ?? ''].filter((name) => name !== '').join(' ');
  const head = element('thead', {}, [
    element('tr', {}, options.columns.map((column) => element('th', { className: columnClass(column), text: column.header, attributes: { scope: 'col' } }))),
  ]);
  const body = element(
    'tbody',
    {},
    options.rows.map((row) =>
      element(
        'tr',
        options.rowClass === undefined ? {} : { className: options.rowClass(row) },
        options.columns.map((column) => element('td', { className: columnClass(column) }, [column.cell(row)])),
      ),
    ),
  );
  const table = element('table', { className: 'table', ...(options.testId === undefined ? {} : { attributes: { 'data-testid': options.testId } }) }, [head, body]);
  return box('table-scroll', [table]);
};

/** A label for a group the API reports as null ("No key", "Anonymous"): shown, but quieter. */
export const groupLabel = (group: string | null, whenMissing: string): Child =>
  group === null || group === '' ? element('span', { className: 'muted', text: whenMissing }) : element('span', { className: 'group-name', text: group, title: group });

/** A figure with a thin bar showing its share of the column's total. */
export const shareBar = (fraction: number, text: string): HTMLElement => {
  const fill = element('span', { className: 'share-bar-fill' });
  fill.style.width = `${Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0)) * 100}%`;
  return box('share', [element('span', { className: 'share-value', text }), element('span', { className: 'share-bar' }, [fill])]);
};
