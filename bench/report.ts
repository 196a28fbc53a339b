import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BenchOptions } from './bench-options.ts';
import { comparePhase, type OnOff } from './compare.ts';
import type { MachineInfo } from './machine-info.ts';
import { requestCounterName, type MetricsCheck } from './metrics-check.ts';
import type { PhaseResult } from './phase.ts';
import { cpuTickMs } from './proc-usage.ts';
import type { SoakResult } from './soak.ts';
import type { Spread } from './stats.ts';

export interface BenchReport {
  machine: MachineInfo;
  options: BenchOptions;
  phases: PhaseResult[];
  /** Failures while priming the targets before the first phase, by target. */
  primingErrors?: Record<string, Record<string, number>>;
  /** With `bulwark-no-metrics`: whether the metrics-on Bulwark counted every request it was sent. */
  metricsCheck?: MetricsCheck;
  /** The CPU reading's resolution on the machine that ran it (see proc-usage.ts); this machine's if absent. */
  cpuTickMs?: number;
  soak?: SoakResult;
}

const resultsDirectory = new URL('./results/', import.meta.url).pathname;

/** Where a report goes without `--out`: `latest.md` for the comparison, `soak-latest.md` for a soak, so a soak does not overwrite the last comparison. */
export const defaultReportPath = (kind: 'compare' | 'soak'): string => join(resultsDirectory, kind === 'soak' ? 'soak-latest.md' : 'latest.md');

const ms = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1));
const signed = (value: number): string => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${ms(value)}` : '—');
const withRange = (value: Spread): string => (Number.isFinite(value.median) ? `${signed(value.median)} (${signed(value.min)}…${signed(value.max)})` : '—');
const times = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`);

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

const countErrors = (errors: Record<string, number>): number => Object.values(errors).reduce((sum, count) => sum + count, 0);

const machineLines = (machine: MachineInfo): string[] => [
  `- Date: ${machine.date}`,
  `- Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM (${machine.freeMemoryGiB} free), Linux ${machine.kernel}, load average ${machine.loadAverage.join(' / ')} at start`,
  `- Node ${machine.node}; Bulwark ${machine.bulwarkRevision}; Portkey gateway ${machine.portkeyVersion}`,
];

const settingsLine = (options: BenchOptions): string => {
  if (options.kind === 'soak') return `- Soak: ${options.minutes} min at concurrency ${options.concurrency}, Bulwark workers ${options.workers}`;
  if (options.kind === 'help') return '';
  const budget = options.budget.kind === 'count' ? `${options.budget.requests} requests` : `${options.budget.milliseconds / 1000} s`;
  return `- Settings: ${options.rounds} rounds × ${budget} per target per round, ${options.warmupRequests} warm-up requests per target per phase, Bulwark workers ${options.workers}, simulator ttft 0`;
};

const describeErrors = (errors: Record<string, number>): string => Object.entries(errors).map(([kind, count]) => `${count}× ${kind}`).join(', ');

const errorSection = (phases: readonly PhaseResult[], primingErrors: Record<string, Record<string, number>>): string[] => {
  const lines = Object.entries(primingErrors).map(([target, errors]) => `- priming ${target}: ${countErrors(errors)} failed (${describeErrors(errors)})`);
  for (const phase of phases) {
    for (const target of phase.targets) {
      const total = countErrors(target.errors);
      if (total === 0) continue;
      lines.push(`- ${phase.mode} c=${phase.concurrency} ${target.target}: ${total} of ${target.attempted} failed (${describeErrors(target.errors)})`);
    }
  }
  if (lines.length === 0) return ['All responses were validated as successful (status 200 and a complete chat completion or SSE stream).'];
  return ['**⚠ THIS RUN HAD ERRORS: the numbers below are not a valid comparison.** Failed requests are counted, not timed.', '', ...lines];
};

const targetTable = (phases: readonly PhaseResult[]): string[] => {
  const lines = [
    '| mode | conc | target | p50 ms | p99 ms | TTFB p50 ms | TTFB p99 ms | req/s | CPU ms/req | RSS MiB | errors |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const phase of phases) {
    for (const target of phase.targets) {
      const stream = phase.mode === 'stream';
      lines.push(`| ${phase.mode} | ${phase.concurrency} | ${target.target} | ${ms(target.p50)} | ${ms(target.p99)} | ${stream ? ms(target.firstByteP50) : '—'} | ${stream ? ms(target.firstByteP99) : '—'} | ${target.throughput.toFixed(0)} | ${ms(target.cpuMsPerRequest)} | ${target.rssBytes === undefined ? '—' : mib(target.rssBytes)} | ${countErrors(target.errors)} |`);
    }
  }
  return lines;
};

const addedTable = (phases: readonly PhaseResult[]): string[] => {
  const lines = [
    '| mode | conc | gateway | added p50 ms | added p99 ms | added TTFB p50 ms |',
    '| --- | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const phase of phases) {
    for (const added of comparePhase(phase).added) {
      lines.push(`| ${phase.mode} | ${phase.concurrency} | ${added.gateway} | ${withRange(added.p50)} | ${withRange(added.p99)} | ${phase.mode === 'stream' ? withRange(added.firstByteP50) : '—'} |`);
    }
  }
  return lines;
};

const ratioTable = (phases: readonly PhaseResult[]): string[] => {
  const lines = [
    '| mode | conc | req/s Bulwark ÷ Portkey | CPU/req Bulwark ÷ Portkey | simulator CPU ms/req | load generator CPU ms/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const phase of phases) {
    const comparison = comparePhase(phase);
    const throughput = comparison.throughputRatio === undefined ? '—' : `${times(comparison.throughputRatio.median)} (${times(comparison.throughputRatio.min)}…${times(comparison.throughputRatio.max)})`;
    lines.push(`| ${phase.mode} | ${phase.concurrency} | ${throughput} | ${times(comparison.cpuRatio)} | ${ms(phase.simulatorCpuMsPerRequest)} | ${ms(phase.loadGeneratorCpuMsPerRequest)} |`);
  }
  return lines;
};

const onOffLatency = (value: OnOff<Spread>): string => `${withRange(value.on)} | ${withRange(value.off)} | ${withRange(value.difference)}`;

/** Three decimals: what metrics cost in CPU is a few microseconds a request, which two would round away. */
const cpuMs = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3));

/** On, off, and on − off with its share of the metrics-off cost. */
const onOffCpu = (value: OnOff<number | undefined>): string => {
  if (value.difference === undefined || value.off === undefined) return `${cpuMs(value.on)} | ${cpuMs(value.off)} | —`;
  const share = value.off > 0 ? ` (${value.difference >= 0 ? '+' : ''}${((value.difference / value.off) * 100).toFixed(1)}%)` : '';
  return `${cpuMs(value.on)} | ${cpuMs(value.off)} | ${value.difference >= 0 ? '+' : ''}${cpuMs(value.difference)}${share}`;
};

const metricsCostTable = (phases: readonly PhaseResult[]): string[] => {
  const lines = [
    '| mode | conc | added p50 ms, metrics on | added p50 ms, off | p50 on − off | added p99 ms, on | added p99 ms, off | p99 on − off | CPU ms/req on | CPU ms/req off | CPU on − off |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const phase of phases) {
    const cost = comparePhase(phase).metricsCost;
    if (cost !== undefined) lines.push(`| ${phase.mode} | ${phase.concurrency} | ${onOffLatency(cost.addedP50)} | ${onOffLatency(cost.addedP99)} | ${onOffCpu(cost.cpuMsPerRequest)} |`);
  }
  return lines;
};

const metricsCheckLine = (check: MetricsCheck | undefined): string => {
  if (check === undefined) return '**⚠ Metrics check: not run.** Nothing shows that the metrics-on Bulwark recorded metrics.';
  if (check.outcome === 'skipped') return `Metrics check skipped (${check.reason}).`;
  const counted = check.counted === undefined ? 'could not be read' : `= ${check.counted}`;
  const off = check.metricsOffStatus === undefined ? '' : `; the metrics-off Bulwark answers it with ${check.metricsOffStatus}${check.metricsOffStatus === 404 ? '' : ' (404 expected: it should have no /metrics route)'}`;
  const error = check.error === undefined ? '' : ` (${check.error})`;
  const verdict = check.outcome === 'passed' ? 'Metrics check passed.' : '**⚠ Metrics check FAILED: the difference below may not be what metrics cost.**';
  return `${verdict} One \`GET /metrics\` from 127.0.0.1 after the run: the metrics-on Bulwark's \`${requestCounterName}\` (all series) ${counted}, requests sent to it (priming and warm-up included) = ${check.sent}${off}${error}.`;
};

/**
 * CPU is read in whole ticks, so a per-request difference smaller than one tick over the measured
 * requests cannot be seen: say how small that is, so "+0.00" is not read as "free".
 */
const cpuResolutionNote = (phases: readonly PhaseResult[], tickMs: number): string => {
  const measured = phases.flatMap((phase) => phase.targets.filter((target) => target.target === 'bulwark').map((target) => target.rounds.reduce((sum, round) => sum + round.succeeded, 0)));
  const fewest = Math.min(...measured);
  if (!Number.isFinite(fewest) || fewest <= 0) return '';
  return ` CPU is read from /proc in ticks of ${tickMs} ms: with ${fewest} measured requests per target per phase, a difference under ${(tickMs / fewest).toFixed(4)} ms/req cannot be seen (raise \`--requests\` or \`--rounds\` to see smaller ones).`;
};

const metricsSection = (phases: readonly PhaseResult[], check: MetricsCheck | undefined, tickMs: number): string[] => [
  '## What metrics cost (Bulwark with metrics on − the same Bulwark with `metrics.enabled: false`)',
  '',
  metricsCheckLine(check),
  '',
  `Added latency is over direct, median over rounds (range in brackets); on − off is taken within each round. CPU is per request over the measured rounds, on − off with its share of the metrics-off cost.${cpuResolutionNote(phases, tickMs)} Nothing scrapes during the run: a scrape's own cost is not included.`,
  '',
  ...metricsCostTable(phases),
];

const soakSection = (soak: SoakResult): string[] => {
  const errors = countErrors(soak.errors);
  return [
    '## Soak: Bulwark memory under steady load',
    '',
    errors === 0 ? 'All responses were validated as successful.' : `**⚠ ${errors} of ${soak.attempted} requests failed** (${describeErrors(soak.errors)}).`,
    '',
    '| duration | requests | req/s | p50 ms | p99 ms | RSS start MiB | RSS end MiB | RSS max MiB | slope MiB/min | slope, 2nd half MiB/min |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${(soak.durationMs / 60_000).toFixed(1)} min | ${soak.succeeded} | ${soak.throughput.toFixed(0)} | ${ms(soak.p50)} | ${ms(soak.p99)} | ${mib(soak.rss.start)} | ${mib(soak.rss.end)} | ${mib(soak.rss.max)} | ${signed(soak.rss.slopeMiBPerMinute)} | ${signed(soak.rss.secondHalfSlopeMiBPerMinute)} |`,
    '',
    `RSS samples (MiB, every ${soak.sampleIntervalSeconds} s): ${soak.rss.samples.map((sample) => mib(sample.bytes)).join(', ')}`,
  ];
};

const notes = [
  '## Notes',
  '',
  '- Latencies are from request start to the last byte, as seen by a keep-alive undici Pool in a separate load-generator process; TTFB is to the first chunk holding `data:`.',
  '- Added latency is computed within each round (gateway − direct, same round) and the median over rounds is shown; a wide range means the machine was noisy.',
  '- Portkey waits 25 ms before relaying the first chunk of every stream (`readStream` in its src/handlers/streamHandler.ts), so its streamed latency includes that pause by design; at low concurrency its streamed req/s is bounded by it, and CPU per request is the fairer efficiency comparison there.',
  '- Gateways, simulator and load generator share the same cores: req/s at high concurrency is a ratio under contention, not each gateway\'s ceiling.',
];

export const renderMarkdown = (report: BenchReport): string => {
  const lines = ['# Bulwark benchmark', '', ...machineLines(report.machine), settingsLine(report.options), ''];
  if (report.phases.length > 0) {
    lines.push(...errorSection(report.phases, report.primingErrors ?? {}), '', '## Per target (medians over rounds)', '', ...targetTable(report.phases), '');
    lines.push('## What each gateway adds over direct (median over rounds, range in brackets)', '', ...addedTable(report.phases), '');
    const withMetricsCost = report.phases.some((phase) => comparePhase(phase).metricsCost !== undefined);
    if (withMetricsCost) lines.push(...metricsSection(report.phases, report.metricsCheck, report.cpuTickMs ?? cpuTickMs), '');
    const withPortkey = report.phases.some((phase) => phase.targets.some((target) => target.target === 'portkey'));
    if (withPortkey) lines.push('## Bulwark versus Portkey', '', ...ratioTable(report.phases), '');
    lines.push(...notes.filter((note) => withPortkey || !note.includes('Portkey')), '');
  }
  if (report.soak !== undefined) lines.push(...soakSection(report.soak), '');
  return lines.join('\n');
};

/** The JSON beside a markdown report: `latest.md` → `latest.json`. */
export const jsonPathFor = (markdownPath: string): string => markdownPath.replace(/\.md$/, '') + '.json';

/** Writes the markdown to `markdownPath` and the JSON beside it (creating the directory), and returns the markdown. */
export const writeReport = (report: BenchReport, markdownPath: string): string => {
  const markdown = renderMarkdown(report);
  mkdirSync(dirname(markdownPath), { recursive: true });
  writeFileSync(markdownPath, markdown);
  writeFileSync(jsonPathFor(markdownPath), `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
  return markdown;
};
