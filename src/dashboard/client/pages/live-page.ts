import type { RequestRow } from '../api-types.ts';
import { httpStatusTone, statusPill } from '../components/status-pill.ts';
import { panel } from '../components/panel.ts';
import { box, element, icon } from '../dom.ts';
import { formatClockTime, formatCompactCount, formatCount, formatDateTime, formatMs, formatRequestCost } from '../format.ts';
import { maxLiveRows, mergeLiveRows } from '../live-rows.ts';
import { openLiveStream, type ConnectionState } from '../live-stream.ts';
import type { PageContext, PageDefinition, PageView } from './page-definition.ts';

const connectionLabels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
};

const columnHeaders: { text: string; numeric?: boolean }[] = [
  { text: 'Time' },
  { text: 'Status' },
  { text: 'Model' },
  { text: 'Endpoint' },
  { text: 'Caller' },
  { text: 'Tokens in / out', numeric: true },
  { text: 'Cost', numeric: true },
  { text: 'Latency', numeric: true },
  { text: 'Attempts', numeric: true },
];

const pauseIcon = ['M9 6v12', 'M15 6v12'];
const playIcon = ['M8 5l11 7-11 7z'];

const cell = (children: (Node | string | null)[], className = ''): HTMLTableCellElement => element('td', className === '' ? {} : { className }, children);
const quiet = (text: string): HTMLElement => element('span', { className: 'muted', text });

/** Where the request went, when that says more than the model name: "openai", or "azure/gpt-4o-eastus". */
const routedTo = (row: RequestRow): string | null => {
  if (row.provider === null) return null;
  return row.upstreamModel === null || row.upstreamModel === row.modelRequested ? row.provider : `${row.provider}/${row.upstreamModel}`;
};

const stacked = (main: Node, note: string | null, alignEnd = false): HTMLElement =>
  element('span', { className: alignEnd ? 'stacked-cell align-end' : 'stacked-cell' }, [main, note === null ? null : element('span', { className: 'cell-note', text: note, title: note })]);

/** One request as a table row; the row's class carries its status colour. */
export const liveRow = (row: RequestRow): HTMLTableRowElement => {
  const tone = httpStatusTone(row.status);
  const caller = row.keyId === null ? quiet('No key') : element('code', { className: 'truncate', text: row.keyId, title: row.keyId });
  return element('tr', { className: `live-row row-${tone}`, attributes: { 'data-request-id': row.requestId, 'data-status': String(row.status) } }, [
    cell([element('span', { text: formatClockTime(row.startedAt), title: `${formatDateTime(row.startedAt)} · ${row.requestId}` })], 'nowrap'),
    cell([stacked(statusPill(String(row.status), tone), row.errorCode)], 'nowrap'),
    cell([stacked(element('span', { className: 'group-name', text: row.modelRequested, title: row.modelRequested }), routedTo(row))]),
    cell([element('span', { className: 'endpoint', text: row.endpoint.replace(/^\/v1\//, ''), title: row.endpoint }), row.stream ? element('span', { className: 'tag', text: 'stream' }) : null], 'nowrap'),
    cell([stacked(caller, row.endUser === null ? null : `user ${row.endUser}`)]),
    cell([
      element('span', {
        text: `${formatCompactCount(row.inputTokens)} / ${formatCompactCount(row.outputTokens)}`,
        title: `${formatCount(row.inputTokens)} in (${formatCount(row.cachedInputTokens)} cached), ${formatCount(row.outputTokens)} out (${formatCount(row.reasoningTokens)} reasoning)`,
      }),
    ], 'numeric'),
    cell([formatRequestCost(row.costUsd)], 'numeric'),
    cell([stacked(element('span', { text: formatMs(row.latencyMs) }), row.timeToFirstTokenMs === null ? null : `first token ${formatMs(row.timeToFirstTokenMs)}`, true)], 'numeric'),
    cell([row.attempts > 1 ? element('span', { className: 'text-warning', text: formatCount(row.attempts), title: 'Retried or fell back' }) : formatCount(row.attempts)], 'numeric'),
  ]);
};

const waitingRow = (): HTMLTableRowElement =>
  element('tr', { className: 'live-waiting' }, [element('td', { attributes: { colspan: String(columnHeaders.length) } }, [box('empty-state', [element('p', { className: 'empty-state-title', text: 'Waiting for requests…' }), element('p', { className: 'empty-state-detail', text: 'Every request the gateway logs appears here as it completes.' })])])]);

/**
 * The live tail: the stream's backlog, then each request as it is logged, newest on top. Pausing keeps
 * the stream open and holds new rows back, so reading a row is not interrupted; resuming shows them.
 */
const buildLiveTail = (context: PageContext): PageView => {
  let rows: RequestRow[] = [];
  let held: RequestRow[] = [];
  let paused = false;

  const body = element('tbody', {}, [waitingRow()]);
  const table = element('table', { className: 'table live-table', attributes: { 'data-testid': 'live-table' } }, [
    element('thead', {}, [element('tr', {}, columnHeaders.map((header) => element('th', { className: header.numeric === true ? 'numeric' : '', text: header.text, attributes: { scope: 'col' } })))]),
    body,
  ]);
  const status = element('span', { className: 'connection', attributes: { 'data-testid': 'live-status', role: 'status' } });
  const counter = element('span', { className: 'live-counter' });
  const pauseButton = element('button', { className: 'button', attributes: { type: 'button', 'data-testid': 'live-pause' } });

  const setConnection = (state: ConnectionState): void => {
    status.setAttribute('data-state', state);
    status.replaceChildren(element('span', { className: 'connection-dot', attributes: { 'aria-hidden': 'true' } }), connectionLabels[state]);
  };
  const updateControls = (): void => {
    pauseButton.replaceChildren(icon(paused ? playIcon : pauseIcon), paused ? 'Resume' : 'Pause');
    pauseButton.setAttribute('aria-pressed', String(paused));
    counter.textContent = paused && held.length > 0 ? `${formatCount(held.length)} new while paused` : `${formatCount(rows.length)} of the latest ${maxLiveRows}`;
  };
  /** Redraws the whole body: used for the backlog and on resume, not for each request. */
  const redraw = (): void => {
    body.replaceChildren(...(rows.length === 0 ? [waitingRow()] : rows.map(liveRow)));
    updateControls();
  };
  const show = (incoming: RequestRow[]): void => {
    const merged = mergeLiveRows(rows, incoming);
    // The common case, one request newer than all shown, is one insert (and one removal at the cap).
    const first = incoming[0];
    const isSimpleInsert = incoming.length === 1 && first !== undefined && merged[0] === first && !rows.some((row) => row.requestId === first.requestId);
    rows = merged;
    if (!isSimpleInsert) return redraw();
    if (body.querySelector('.live-waiting') !== null) body.replaceChildren();
    const row = liveRow(first);
    row.classList.add('is-new');
    body.prepend(row);
    while (body.rows.length > maxLiveRows) body.lastElementChild?.remove();
    updateControls();
  };
  const receive = (incoming: RequestRow[]): void => {
    if (incoming.length === 0) return;
    if (!paused) return show(incoming);
    held = mergeLiveRows(held, incoming);
    updateControls();
  };

  pauseButton.addEventListener('click', () => {
    paused = !paused;
    if (!paused && held.length > 0) {
      rows = mergeLiveRows(rows, held);
      held = [];
      redraw();
    }
    updateControls();
  });

  updateControls();
  const stream = openLiveStream({ onRows: receive, onState: setConnection, onSessionEnded: context.requireLogin });
  context.onLeave(stream.close);

  return {
    content: [
      panel({
        title: 'Requests',
        subtitle: 'newest first, as they are logged by every gateway process',
        className: 'flush',
        actions: [status, counter, pauseButton],
        body: [box('table-scroll', [table])],
      }),
    ],
  };
};

export const livePage: PageDefinition = {
  name: 'live',
  title: 'Live',
  description: () => 'Requests as they happen',
  ranges: [],
  defaultRange: '24h',
  autoRefresh: false,
  load: async (context) => () => buildLiveTail(context),
};
