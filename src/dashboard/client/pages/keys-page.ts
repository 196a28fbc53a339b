import type { KeyRow, KeysResponse } from '../api-types.ts';
import { getJson } from '../api-client.ts';
import { dataTable } from '../components/data-table.ts';
import { kpiCard, kpiGrid } from '../components/kpi-card.ts';
import { panel } from '../components/panel.ts';
import { errorRateTone, statusPill, type Tone } from '../components/status-pill.ts';
import { element } from '../dom.ts';
import { formatCount, formatDate, formatDateTime, formatPercent, formatRelativeTime, formatUsd } from '../format.ts';
import type { PageDefinition, PageView } from './page-definition.ts';

export type KeyStatus = 'active' | 'revoked' | 'expired';

/** Revocation wins over expiry: a revoked key stays revoked whatever its expiry date. */
export const keyStatus = (key: Pick<KeyRow, 'revokedAt' | 'expiresAt'>, now: number): KeyStatus => {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'expired';
  return 'active';
};

const statusLooks: Record<KeyStatus, { text: string; tone: Tone }> = {
  active: { text: 'Active', tone: 'good' },
  revoked: { text: 'Revoked', tone: 'bad' },
  expired: { text: 'Expired', tone: 'warning' },
};

const modelsCell = (models: readonly string[]): HTMLElement => {
  if (models.length === 0) return element('span', { className: 'muted', text: 'All models' });
  const shown = models.slice(0, 3);
  return element('span', { className: 'chips', title: models.join(', ') }, [
    ...shown.map((model) => element('span', { className: 'chip', text: model })),
    models.length > shown.length ? element('span', { className: 'chip chip-more', text: `+${models.length - shown.length}` }) : null,
  ]);
};

const build = (data: KeysResponse, now: number): PageView => {
  const statusOrder: Record<KeyStatus, number> = { active: 0, expired: 1, revoked: 2 };
  const keys = data.keys.toSorted((a, b) => statusOrder[keyStatus(a, now)] - statusOrder[keyStatus(b, now)] || b.costUsd30d - a.costUsd30d);
  const active = keys.filter((key) => keyStatus(key, now) === 'active').length;
  const requests = keys.reduce((sum, key) => sum + key.requests24h, 0);
  const cost = keys.reduce((sum, key) => sum + key.costUsd30d, 0);
  const teams = new Set(keys.flatMap((key) => (key.team === null ? [] : [key.team]))).size;
  return {
    content: [
      kpiGrid([
        kpiCard({ label: 'Active keys', value: formatCount(active), detail: `${formatCount(keys.length - active)} revoked or expired`, testId: 'kpi-active-keys' }),
        kpiCard({ label: 'Teams', value: formatCount(teams), detail: 'with at least one key', testId: 'kpi-teams' }),
        kpiCard({ label: 'Requests, last 24 h', value: formatCount(requests), detail: 'across all keys', testId: 'kpi-key-requests' }),
        kpiCard({ label: 'Cost, last 30 days', value: formatUsd(cost), detail: 'across all keys', testId: 'kpi-key-cost' }),
      ]),
      panel({
        title: 'API keys',
        subtitle: 'active first, then by cost',
        className: 'flush',
        body: [
          dataTable<KeyRow>({
            columns: [
              {
                header: 'Key',
                className: 'group-column',
                cell: (key) =>
                  element('span', { className: 'stacked-cell' }, [
                    element('span', { className: 'group-name', text: key.name, title: key.name }),
                    element('code', { className: 'cell-note', text: `${key.prefix}…`, title: key.id }),
                  ]),
              },
              { header: 'Team', cell: (key) => (key.team === null ? element('span', { className: 'muted', text: 'None' }) : key.team) },
              { header: 'Models', cell: (key) => modelsCell(key.models) },
              { header: 'Status', cell: (key) => statusPill(statusLooks[keyStatus(key, now)].text, statusLooks[keyStatus(key, now)].tone) },
              { header: 'Created', className: 'nowrap', cell: (key) => element('span', { text: formatDate(key.createdAt), title: formatDateTime(key.createdAt) }) },
              {
                header: 'Expires',
                className: 'nowrap',
                cell: (key) =>
                  key.expiresAt === null
                    ? element('span', { className: 'muted', text: 'Never' })
                    : element('span', { text: formatRelativeTime(key.expiresAt, now), title: formatDateTime(key.expiresAt) }),
              },
              { header: 'Requests 24 h', numeric: true, cell: (key) => formatCount(key.requests24h) },
              {
                header: 'Errors 24 h',
                numeric: true,
                cell: (key) => {
                  const rate = key.requests24h > 0 ? key.errors24h / key.requests24h : null;
                  const tone = errorRateTone(rate);
                  return element('span', { className: tone === null ? '' : `text-${tone}`, text: formatCount(key.errors24h), title: `${formatPercent(rate)} of requests` });
                },
              },
              { header: 'Cost 30 d', numeric: true, cell: (key) => formatUsd(key.costUsd30d) },
            ],
            rows: keys,
            rowClass: (key) => `key-${keyStatus(key, now)}`,
            emptyTitle: 'No API keys yet',
            emptyDetail: 'Create one with: bulwark keys create --name <name>',
            testId: 'keys',
          }),
        ],
      }),
    ],
  };
};

export const keysPage: PageDefinition = {
  name: 'keys',
  title: 'Keys',
  description: () => 'Virtual keys, their teams and what they spend',
  ranges: [],
  defaultRange: '30d',
  autoRefresh: true,
  load: async (context) => {
    const data = await getJson<KeysResponse>('keys', context.signal);
    return () => build(data, Date.now());
  },
};
