// `npm run bench`: direct to the provider simulator vs. through Bulwark (optionally also a second
// Bulwark with metrics off) vs. through Portkey, each in its own process. See bench/README.md for what the columns mean.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchUsage, parseBenchOptions, type BenchOptions } from './bench-options.ts';
import { machineInfo } from './machine-info.ts';
import { checkRecordedMetrics, requestsSentTo, type MetricsCheck } from './metrics-check.ts';
import { primeTargets, runPhase, type PhaseResult } from './phase.ts';
import { createServiceGroup, type ChildService } from './processes.ts';
import { cpuTickMs } from './proc-usage.ts';
import { defaultReportPath, writeReport } from './report.ts';
import { portkeyPackage, startBulwarkService, startPortkeyService, startSimulatorService, type BulwarkService } from './services.ts';
import { runSoak } from './soak.ts';
import { bulwarkTarget, directTarget, portkeyTarget, type Target } from './targets.ts';

type CompareOptions = Extract<BenchOptions, { kind: 'compare' }>;
type SoakOptions = Extract<BenchOptions, { kind: 'soak' }>;

/** Priming sends this many times the per-phase warm-up, once, before the first phase. */
const primingFactor = 5;

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const errorCount = (phases: readonly PhaseResult[]): number =>
  phases.flatMap((phase) => phase.targets).reduce((sum, target) => sum + Object.values(target.errors).reduce((total, count) => total + count, 0), 0);

const describePhase = (phase: PhaseResult): string =>
  `${phase.mode} c=${phase.concurrency}: ${phase.targets.map((target) => `${target.target} p50 ${target.p50.toFixed(2)} ms, ${target.throughput.toFixed(0)} req/s`).join(' | ')}`;

interface Comparison {
  phases: PhaseResult[];
  primingErrors: Record<string, Record<string, number>>;
  metricsCheck: MetricsCheck | undefined;
}

const runComparison = async (options: CompareOptions, simulator: ChildService, bulwark: BulwarkService, services: ChildService[], directory: string): Promise<Comparison> => {
  const targets: Target[] = [directTarget(simulator.url)];
  const gateways: Partial<Record<Target['name'], number>> = {};
  if (options.targets.includes('bulwark')) {
    targets.push(bulwarkTarget(bulwark.url, bulwark.key));
    gateways.bulwark = bulwark.pid;
  }
  let bulwarkNoMetrics: BulwarkService | undefined;
  if (options.targets.includes('bulwark-no-metrics')) {
    progress('starting a second Bulwark with metrics.enabled false…');
    bulwarkNoMetrics = await startBulwarkService({ simulatorUrl: simulator.url, directory, workers: options.workers, name: 'bulwark-no-metrics' });
    services.push(bulwarkNoMetrics);
    targets.push(bulwarkTarget(bulwarkNoMetrics.url, bulwarkNoMetrics.key, 'bulwark-no-metrics'));
    gateways['bulwark-no-metrics'] = bulwarkNoMetrics.pid;
  }
  if (options.targets.includes('portkey')) {
    progress('starting the Portkey gateway…');
    const portkey = await startPortkeyService();
    services.push(portkey);
    targets.push(portkeyTarget(portkey.url, simulator.url));
    gateways.portkey = portkey.pid;
  }
  progress(`priming every target with ${options.warmupRequests * primingFactor} requests per mode…`);
  const priming = await primeTargets(targets, options.modes, options.warmupRequests * primingFactor);
  for (const [target, errors] of Object.entries(priming.errors)) progress(`⚠ ${target} failed while priming: ${JSON.stringify(errors)}`);
  const phases: PhaseResult[] = [];
  for (const mode of options.modes) {
    for (const concurrency of options.concurrencies) {
      const settings = { mode, concurrency, rounds: options.rounds, warmupRequests: options.warmupRequests, budget: options.budget };
      const phase = await runPhase(settings, targets, { gateways, simulator: simulator.pid });
      progress(describePhase(phase));
      phases.push(phase);
    }
  }
  // Only once the load has stopped, so no scrape runs during the measured rounds.
  const metricsCheck = bulwarkNoMetrics === undefined
    ? undefined
    : await checkRecordedMetrics({ metricsOnUrl: bulwark.url, metricsOffUrl: bulwarkNoMetrics.url, sent: requestsSentTo('bulwark', priming, phases), workers: options.workers });
  if (metricsCheck !== undefined) progress(`metrics check: ${JSON.stringify(metricsCheck)}`);
  return { phases, primingErrors: priming.errors, metricsCheck };
};

const runSoakMode = async (options: SoakOptions, bulwark: BulwarkService): Promise<ReturnType<typeof runSoak>> => {
  progress(`soaking Bulwark for ${options.minutes} min at concurrency ${options.concurrency}…`);
  return runSoak({
    target: bulwarkTarget(bulwark.url, bulwark.key),
    pid: bulwark.pid,
    minutes: options.minutes,
    concurrency: options.concurrency,
    warmupRequests: options.warmupRequests,
    onSample: (sample) => progress(`  ${sample.atSeconds.toFixed(0)} s: RSS ${(sample.bytes / 2 ** 20).toFixed(1)} MiB`),
  });
};

const main = async (argv: string[]): Promise<number> => {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${benchUsage}`);
    return 2;
  }
  if (options.kind === 'help') {
    console.log(benchUsage);
    return 0;
  }
  const machine = machineInfo(portkeyPackage().version);
  const directory = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  const { services, cleanUp } = createServiceGroup(directory, progress);
  try {
    progress('starting the simulator…');
    const simulator = await startSimulatorService();
    services.push(simulator);
    progress(`starting Bulwark (${options.workers} worker${options.workers === 1 ? '' : 's'})…`);
    const bulwark = await startBulwarkService({ simulatorUrl: simulator.url, directory, workers: options.workers });
    services.push(bulwark);
    if (options.kind === 'soak') {
      const soak = await runSoakMode(options, bulwark);
      console.log(writeReport({ machine, options, phases: [], soak }, options.out ?? defaultReportPath('soak')));
      return Object.keys(soak.errors).length === 0 ? 0 : 1;
    }
    const { phases, primingErrors, metricsCheck } = await runComparison(options, simulator, bulwark, services, directory);
    console.log(writeReport({ machine, options, phases, primingErrors, cpuTickMs, ...(metricsCheck === undefined ? {} : { metricsCheck }) }, options.out ?? defaultReportPath('compare')));
    const errors = errorCount(phases) + Object.values(primingErrors).flatMap(Object.values).reduce((sum, count) => sum + count, 0);
    if (errors > 0) progress(`⚠ ${errors} requests failed: this run is not a valid comparison.`);
    const metricsFailed = metricsCheck?.outcome === 'failed';
    if (metricsFailed) progress('⚠ the metrics check failed: the metrics-on Bulwark did not count every request it was sent.');
    return errors === 0 && !metricsFailed ? 0 : 1;
  } finally {
    await cleanUp();
  }
};

process.exitCode = await main(process.argv.slice(2));
