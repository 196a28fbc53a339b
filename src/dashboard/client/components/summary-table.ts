import type { Summary } from '../api-types.ts';
import { element } from '../dom.ts';
import { formatCompactCount, formatCount, formatMs, formatPercent, formatUsd } from '../format.ts';
import { dataTable, groupLabel, shareBar, type Column } from './data-table.ts';
import { errorRateTone } from './status-pill.ts';

export type SummaryColumn = 'requests' | 'errorRate' | 'p50' | 'p95' | 'p99' | 'ttfb50' | 'ttfb95' | 'tokens' | 'cost' | 'costShare';

export interface SummaryTableOptions<Row extends Summary> {
  groupHeader: string;
  /** How a null group reads: "No key", "Anonymous". */
  missingGroup: string;
  rows: readonly Row[];
  columns: SummaryColumn[];
  emptyTitle: string;
  emptyDetail?: string;
  testId?: string;
  /** Columns inserted after the group column (a key's team, say). */
  extraColumns?: Column<Row>[];
  /** Replaces the group cell (a key's name instead of its id). */
  groupCell?: (row: Row) => HTMLElement;
}

const errorRateCell = (summary: Summary): HTMLElement => {
  const tone = errorRateTone(summary.errorRate);
  return element('span', { className: tone === null ? '' : `text-${tone}`, text: formatPercent(summary.errorRate), title: `${formatCount(summary.errors)} errors` });
};

/** The Summary shape as a table, with the columns a page chooses. */
export const summaryTable = <Row extends Summary>(options: SummaryTableOptions<Row>): HTMLElement => {
  const totalCost = options.rows.reduce((sum, row) => sum + (Number.isFinite(row.costUsd) ? row.costUsd : 0), 0);
  const available: Record<SummaryColumn, Column<Row>> = {
    requests: { header: 'Requests', numeric: true, cell: (row) => formatCount(row.requests) },
    errorRate: { header: 'Error rate', numeric: true, cell: errorRateCell },
    p50: { header: 'P50', numeric: true, cell: (row) => formatMs(row.p50LatencyMs) },
    p95: { header: 'P95', numeric: true, cell: (row) => formatMs(row.p95LatencyMs) },
    p99: { header: 'P99', numeric: true, cell: (row) => formatMs(row.p99LatencyMs) },
    ttfb50: { header: 'TTFB P50', numeric: true, cell: (row) => formatMs(row.p50TimeToFirstTokenMs) },
    ttfb95: { header: 'TTFB P95', numeric: true, cell: (row) => formatMs(row.p95TimeToFirstTokenMs) },
    tokens: {
      header: 'Tokens in / out',
      numeric: true,
      cell: (row) => element('span', { text: `${formatCompactCount(row.inputTokens)} / ${formatCompactCount(row.outputTokens)}`, title: `${formatCount(row.inputTokens)} in, ${formatCount(row.outputTokens)} out` }),
    },
    cost: { header: 'Cost', numeric: true, cell: (row) => formatUsd(row.costUsd) },
    costShare: { header: 'Cost', numeric: true, className: 'share-column', cell: (row) => shareBar(totalCost > 0 ? row.costUsd / totalCost : 0, formatUsd(row.costUsd)) },
  };
  const groupColumn: Column<Row> = {
    header: options.groupHeader,
    className: 'group-column',
    cell: options.groupCell ?? ((row) => groupLabel(row.group, options.missingGroup)),
  };
  return dataTable<Row>({
    columns: [groupColumn, ...(options.extraColumns ?? []), ...options.columns.map((column) => available[column])],
    rows: options.rows,
    emptyTitle: options.emptyTitle,
    ...(options.emptyDetail === undefined ? {} : { emptyDetail: options.emptyDetail }),
    ...(options.testId === undefined ? {} : { testId: options.testId }),
  });
};
