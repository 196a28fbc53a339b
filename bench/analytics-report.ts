import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dominantShape, latenciesByShape, summarizeLatencies, type LatencySummary, type TimedCall } from './analytics-latency.ts';
import type { MachineInfo } from './machine-info.ts';

export interface AnalyticsPhase {
  concurrency: number;
  timed: TimedCall[];
  failures: Record<string, number>;
  wallMs: number;
}

/** One window of chat traffic through Bulwark, with or without the analytics mix running beside it. */
export interface ChatWindow {
  loaded: boolean;
  latenciesMs: number[];
  succeeded: number;
  wallMs: number;
  errors: Record<string, number>;
  /** Admin calls answered during the window (zero when not loaded). */
  analyticsCalls: TimedCall[];
  analyticsFailures: number;
}

export interface AnalyticsBenchReport {
  machine: MachineInfo;
  /** Load averages (1, 5, 15 min) at moments of the run: other work on the machine shows here. */
  loadAverages: Array<{ moment: string; values: number[] }>;
  log: { rows: number; days: number; end: number; insertSeconds: number; bytes: number };
  rounds: number;
  shapes: string[];
  phases: AnalyticsPhase[];
  chat: { concurrency: number; windowSeconds: number; analyticsConcurrency: number; windows: ChatWindow[] };
}

const ms = (value: number): string => (!Number.isFinite(value) ? '—' : value < 10 ? value.toFixed(2) : value < 1000 ? value.toFixed(1) : value.toFixed(0));
const count = (value: number): string => value.toLocaleString('en');
const failureCount = (failures: Record<string, number>): number => Object.values(failures).reduce((sum, value) => sum + value, 0);

const headline = (report: AnalyticsBenchReport): string[] =>
  report.phases.map((phase) => {
    const overall = summarizeLatencies(phase.timed.map((call) => call.ms));
    return `- **Concurrency ${phase.concurrency}: P95 ${ms(overall.p95)} ms, P50 ${ms(overall.p50)} ms** over ${count(overall.calls)} admin calls (${report.rounds} rounds of the ${report.shapes.length}-call mix)`;
  });

const cells = (summary: LatencySummary | undefined): string[] => (summary === undefined ? ['—', '—', '—'] : [ms(summary.p50), ms(summary.p95), ms(summary.max)]);

const queryTable = (report: AnalyticsBenchReport): string[] => {
  const header = ['query', ...report.phases.flatMap((phase) => [`c=${phase.concurrency} p50`, `c=${phase.concurrency} p95`, `c=${phase.concurrency} max`])];
  const perPhase = report.phases.map((phase) => latenciesByShape(phase.timed, report.shapes));
  const rows = report.shapes.map((shape, index) => [shape, ...perPhase.flatMap((summaries) => cells(summaries[index]))]);
  const overall = ['**all calls**', ...report.phases.flatMap((phase) => cells(summarizeLatencies(phase.timed.map((call) => call.ms))).map((cell) => `**${cell}**`))];
  return [header, header.map((_, index) => (index === 0 ? '---' : '---:')), ...rows, overall].map((row) => `| ${row.join(' | ')} |`);
};

/**
 * Which shape the time goes to, at the lowest concurrency measured: there a call's latency is its own
 * work. Higher up, calls also wait for each other on the single analytics thread, so a cheap call
 * queued behind an expensive one looks expensive.
 */
const dominantLine = (report: AnalyticsBenchReport): string[] => {
  const phase = report.phases.toSorted((left, right) => left.concurrency - right.concurrency)[0];
  const top = phase === undefined ? undefined : dominantShape(phase.timed);
  return phase === undefined || top === undefined ? [] : [`At concurrency ${phase.concurrency}, "${top.shape}" takes ${(top.share * 100).toFixed(0)}% of the time spent in admin calls.`];
};

/** Pooled over the windows of one kind. */
const chatRow = (label: string, windows: ChatWindow[]): string => {
  const latency = summarizeLatencies(windows.flatMap((window) => window.latenciesMs));
  const succeeded = windows.reduce((sum, window) => sum + window.succeeded, 0);
  const seconds = windows.reduce((sum, window) => sum + window.wallMs, 0) / 1000;
  const errors = windows.reduce((sum, window) => sum + failureCount(window.errors), 0);
  const analytics = windows.flatMap((window) => window.analyticsCalls);
  const analyticsText = windows.some((window) => window.loaded) ? `${count(analytics.length)} (p50 ${ms(summarizeLatencies(analytics.map((call) => call.ms)).p50)} ms)` : '—';
  return `| ${label} | ${count(succeeded)} | ${seconds === 0 ? '—' : (succeeded / seconds).toFixed(0)} | ${ms(latency.p50)} | ${ms(latency.p99)} | ${ms(latency.max)} | ${errors} | ${analyticsText} |`;
};

const chatTable = (report: AnalyticsBenchReport): string[] => {
  const { windows } = report.chat;
  return [
    '| chat completions | requests | req/s | p50 ms | p99 ms | max ms | errors | admin calls answered meanwhile |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    chatRow('without analytics load', windows.filter((window) => !window.loaded)),
    chatRow(`with the mix at concurrency ${report.chat.analyticsConcurrency}`, windows.filter((window) => window.loaded)),
  ];
};

const failureLines = (report: AnalyticsBenchReport): string[] => {
  const all: Record<string, number> = {};
  const add = (prefix: string, failures: Record<string, number>): void => {
    for (const [kind, value] of Object.entries(failures)) all[`${prefix}${kind}`] = (all[`${prefix}${kind}`] ?? 0) + value;
  };
  for (const phase of report.phases) add(`c=${phase.concurrency} `, phase.failures);
  for (const window of report.chat.windows) {
    add('chat ', window.errors);
    if (window.analyticsFailures > 0) add('admin calls beside chat', { '': window.analyticsFailures });
  }
  const entries = Object.entries(all);
  if (entries.length === 0) return [];
  return ['', `**⚠ ${count(entries.reduce((sum, [, value]) => sum + value, 0))} calls failed; failed calls are not timed and the figures are not valid:**`, '', ...entries.map(([kind, value]) => `- ${kind}: ${value}`)];
};

export const countAnalyticsBenchFailures = (report: AnalyticsBenchReport): number =>
  report.phases.reduce((sum, phase) => sum + failureCount(phase.failures), 0)
  + report.chat.windows.reduce((sum, window) => sum + failureCount(window.errors) + window.analyticsFailures, 0);

/** The report as markdown: machine, log, the query table (the headline figure first), and chat with and without analytics load. */
export const renderAnalyticsReport = (report: AnalyticsBenchReport): string => {
  const { machine, log } = report;
  return [
    `# Admin analytics API on a ${count(log.rows)}-row request log`,
    ...failureLines(report),
    '',
    `- Date: ${machine.date}`,
    `- Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM (${machine.freeMemoryGiB} free), Linux ${machine.kernel}; Node ${machine.node}; Bulwark ${machine.bulwarkRevision}`,
    `- Load average (1 / 5 / 15 min): ${report.loadAverages.map((entry) => `${entry.values.join(' / ')} ${entry.moment}`).join('; ')}`,
    `- Log: ${count(log.rows)} generated records over the ${log.days} days up to ${new Date(log.end).toISOString()}, appended in time order, a day per transaction, through SqliteRequestLogStore (indexes and daily roll-up trigger) in ${log.insertSeconds.toFixed(1)} s (${count(Math.round(log.rows / log.insertSeconds))} rows/s); database file ${(log.bytes / 2 ** 20).toFixed(0)} MiB`,
    `- Bulwark: one process (\`bulwark start\`, NODE_ENV=production), analytics on its worker thread; calls over HTTP with undici, request start to last byte, after one unmeasured warm-up round per concurrency`,
    '',
    '## Query API latency (ms)',
    '',
    ...headline(report),
    '',
    ...queryTable(report),
    '',
    'Percentiles per query rest on one call per round; with few rounds P95 is close to the maximum.',
    '',
    ...dominantLine(report),
    '',
    '## Chat traffic beside the analytics queries',
    '',
    `Closed-loop non-streamed chat completions at concurrency ${report.chat.concurrency} through the same Bulwark process to the simulator, in ${report.chat.windows.length} alternating windows of ${report.chat.windowSeconds} s; in the loaded windows the query mix runs at concurrency ${report.chat.analyticsConcurrency} at the same time.`,
    '',
    ...chatTable(report),
    '',
  ].join('\n');
};

const resultsDirectory = new URL('./results/', import.meta.url).pathname;

/** Writes `bench/results/analytics-latest.md` and returns the markdown. */
export const writeAnalyticsReport = (report: AnalyticsBenchReport): string => {
  const markdown = renderAnalyticsReport(report);
  mkdirSync(resultsDirectory, { recursive: true });
  writeFileSync(join(resultsDirectory, 'analytics-latest.md'), markdown);
  return markdown;
};
