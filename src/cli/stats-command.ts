import { loadConfig } from '../config/load-config.ts';
import type { AnalyticsFilter, AnalyticsSummaryRow } from '../stores/request-analytics/analytics-query.ts';
import { parseTimeBound } from '../stores/request-analytics/parse-time-bound.ts';
import { RequestAnalytics } from '../stores/request-analytics/request-analytics.ts';
import type { VirtualKey } from '../stores/contracts.ts';
import { openDatabase } from '../stores/sqlite/open-database.ts';
import { SqliteApiKeyStore } from '../stores/sqlite/sqlite-api-key-store.ts';
import { parseArguments, UsageError } from './parse-arguments.ts';
import { resolveConfigPath } from './resolve-config-path.ts';

const usage = `Usage:
  bulwark stats [--since 24h] [--until TIME] [--top 5] [--json]
Times: a duration back from now (90m, 24h, 7d), epoch milliseconds or an ISO 8601 date or time.
Options: --config PATH (default ./bulwark.yaml)`;

export interface StatsReport {
  since: number;
  until: number;
  total: AnalyticsSummaryRow | null;
  topModels: AnalyticsSummaryRow[];
  /** With the key's name and team where the key store knows the key. */
  topKeys: (AnalyticsSummaryRow & { keyName?: string; team?: string })[];
}

const timeFlag = (flag: string, text: string, now: number): number => {
  const time = parseTimeBound(text, now);
  if (time === undefined) throw new UsageError(`--${flag} takes a duration (24h), epoch milliseconds or an ISO 8601 time, not "${text}"`);
  return time;
};

/** Headline figures for a window: the total, and the models and keys that cost the most. */
export const buildStatsReport = (
  analytics: RequestAnalytics,
  filter: Required<Pick<AnalyticsFilter, 'since' | 'until'>>,
  top: number,
  keys: readonly VirtualKey[] = [],
): StatsReport => {
  const bySpend = (rows: AnalyticsSummaryRow[]) => rows.toSorted((a, b) => b.costUsd - a.costUsd || b.requests - a.requests).slice(0, top);
  const keysById = new Map(keys.map((key) => [key.id, key]));
  return {
    ...filter,
    total: analytics.summary(filter)[0] ?? null,
    topModels: bySpend(analytics.summary(filter, 'model')),
    topKeys: bySpend(analytics.summary(filter, 'key')).map((row) => {
      const key = row.group === null ? undefined : keysById.get(row.group);
      return { ...row, ...(key === undefined ? {} : { keyName: key.name }), ...(key?.team === undefined ? {} : { team: key.team }) };
    }),
  };
};

const usd = (value: number): string => `$${value.toFixed(value < 1 ? 4 : 2)}`;
const ms = (value: number | null): string => (value === null ? '-' : `${Math.round(value)} ms`);
const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** A key as people know it: its name and team, else its id. */
const keyLabel = (row: StatsReport['topKeys'][number]): string =>
  row.keyName === undefined ? row.group ?? '(no key)' : `${row.keyName}${row.team === undefined ? '' : ` (${row.team})`}`;

const topLines = (title: string, rows: (AnalyticsSummaryRow & { keyName?: string; team?: string })[]): string[] => [
  title,
  ...(rows.length === 0 ? ['  (none)'] : rows.map((row) => `  ${keyLabel(row).padEnd(24)} ${usd(row.costUsd).padStart(12)}  ${String(row.requests).padStart(8)} req  p95 ${ms(row.p95LatencyMs)}  errors ${percent(row.errorRate)}`)),
];

export const formatStatsReport = (report: StatsReport): string[] => {
  const window = `${new Date(report.since).toISOString()} → ${new Date(report.until).toISOString()}`;
  const total = report.total;
  if (total === null) return [`Requests ${window}: none`];
  return [
    `Requests ${window}`,
    `  requests      ${total.requests}`,
    `  spend         ${usd(total.costUsd)}`,
    `  tokens        ${total.inputTokens} in / ${total.outputTokens} out`,
    `  error rate    ${percent(total.errorRate)} (${total.errors})`,
    `  latency       p50 ${ms(total.p50LatencyMs)}  p95 ${ms(total.p95LatencyMs)}  p99 ${ms(total.p99LatencyMs)}`,
    `  first token   p50 ${ms(total.p50TimeToFirstTokenMs)}  p95 ${ms(total.p95TimeToFirstTokenMs)}`,
    ...topLines('Top models by spend', report.topModels),
    ...topLines('Top keys by spend', report.topKeys),
  ];
};

/** `bulwark stats`: headline figures of the request log, read directly from the configured database. */
export const runStatsCommand = async (argv: string[], print: (line: string) => void = console.log, now: number = Date.now()): Promise<void> => {
  const { values, positionals } = parseArguments(
    argv,
    { config: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, top: { type: 'string' }, json: { type: 'boolean' } },
    usage,
  );
  if (positionals.length > 0) throw new UsageError(usage);
  const since = timeFlag('since', values.since ?? '24h', now);
  const until = values.until === undefined ? now + 1 : timeFlag('until', values.until, now);
  const top = Number(values.top ?? '5');
  if (!Number.isSafeInteger(top) || top < 1 || top > 100) throw new UsageError(`--top takes an integer from 1 to 100, not "${values.top}"`);
  const config = await loadConfig(resolveConfigPath(values.config));
  const database = openDatabase(config.storage.sqlitePath);
  try {
    const report = buildStatsReport(new RequestAnalytics(database), { since, until }, top, await new SqliteApiKeyStore(database).list());
    if (values.json === true) print(JSON.stringify(report));
    else for (const line of formatStatsReport(report)) print(line);
  } finally {
    database.close();
  }
};
