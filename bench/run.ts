// `npm run bench`: direct to the provider simulator vs. through Bulwark vs. through Portkey, each in its
// own process. See bench/README.md for what the columns mean.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchUsage, parseBenchOptions, type BenchOptions } from './bench-options.ts';
import { machineInfo } from './machine-info.ts';
import { primeTargets, runPhase, type PhaseResult } from './phase.ts';
import type { ChildService } from './processes.ts';
import { writeReport } from './report.ts';
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
}

const runComparison = async (options: CompareOptions, simulator: ChildService, bulwark: BulwarkService, services: ChildService[]): Promise<Comparison> => {
  const targets: Target[] = [directTarget(simulator.url)];
  const gateways: Partial<Record<Target['name'], number>> = {};
  if (options.targets.includes('bulwark')) {
    targets.push(bulwarkTarget(bulwark.url, bulwark.key));
    gateways.bulwark = bulwark.pid;
  }
  if (options.targets.includes('portkey')) {
    progress('starting the Portkey gateway…');
    const portkey = await startPortkeyService();
    services.push(portkey);
    targets.push(portkeyTarget(portkey.url, simulator.url));
    gateways.portkey = portkey.pid;
  }
  progress(`priming every target with ${options.warmupRequests * primingFactor} requests per mode…`);
  const primingErrors = await primeTargets(targets, options.modes, options.warmupRequests * primingFactor);
  for (const [target, errors] of Object.entries(primingErrors)) progress(`⚠ ${target} failed while priming: ${JSON.stringify(errors)}`);
  const phases: PhaseResult[] = [];
  for (const mode of options.modes) {
    for (const concurrency of options.concurrencies) {
      const settings = { mode, concurrency, rounds: options.rounds, warmupRequests: options.warmupRequests, budget: options.budget };
      const phase = await runPhase(settings, targets, { gateways, simulator: simulator.pid });
      progress(describePhase(phase));
      phases.push(phase);
    }
  }
  return { phases, primingErrors };
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
  const services: ChildService[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const service of services.toReversed()) await service.stop().catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    })();
    return cleaning;
  };
  const interrupt = (): void => {
    progress('interrupted: stopping the child processes…');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    progress('starting the simulator…');
    const simulator = await startSimulatorService();
    services.push(simulator);
    progress(`starting Bulwark (${options.workers} worker${options.workers === 1 ? '' : 's'})…`);
    const bulwark = await startBulwarkService({ simulatorUrl: simulator.url, directory, workers: options.workers });
    services.push(bulwark);
    if (options.kind === 'soak') {
      const soak = await runSoakMode(options, bulwark);
      console.log(writeReport({ machine, options, phases: [], soak }, 'soak-latest'));
      return Object.keys(soak.errors).length === 0 ? 0 : 1;
    }
    const { phases, primingErrors } = await runComparison(options, simulator, bulwark, services);
    console.log(writeReport({ machine, options, phases, primingErrors }, 'latest'));
    const errors = errorCount(phases) + Object.values(primingErrors).flatMap(Object.values).reduce((sum, count) => sum + count, 0);
    if (errors > 0) progress(`⚠ ${errors} requests failed: this run is not a valid comparison.`);
    return errors === 0 ? 0 : 1;
  } finally {
    await cleanUp();
  }
};

process.exitCode = await main(process.argv.slice(2));
