import { createTargetPool, runLoad, type Budget, type LoadResult } from './load.ts';
import { treeCpuMs, treeRssBytes } from './proc-usage.ts';
import { median, quantile } from './stats.ts';
import { requestBody, type Mode, type Target, type TargetName } from './targets.ts';

export interface PhaseSettings {
  mode: Mode;
  concurrency: number;
  rounds: number;
  /** Requests per target before the measured rounds (JIT, connection pools, SQLite caches). */
  warmupRequests: number;
  /** Per target per round. */
  budget: Budget;
}

/** One target's numbers in one round. */
export interface RoundMeasure {
  p50: number;
  p99: number;
  firstByteP50: number;
  firstByteP99: number;
  /** Successful requests per second of wall time. */
  throughput: number;
  succeeded: number;
}

export interface TargetPhaseResult {
  target: TargetName;
  rounds: RoundMeasure[];
  /** Medians over rounds of the per-round values. */
  p50: number;
  p99: number;
  firstByteP50: number;
  firstByteP99: number;
  throughput: number;
  /** Requests sent, warm-up included. */
  attempted: number;
  succeeded: number;
  errors: Record<string, number>;
  /** CPU of the gateway's process tree over the measured rounds, per request sent to it; undefined for `direct`. */
  cpuMsPerRequest: number | undefined;
  /** Resident memory of the gateway's process tree at the end of the phase; undefined for `direct`. */
  rssBytes: number | undefined;
}

export interface PhaseResult {
  mode: Mode;
  concurrency: number;
  targets: TargetPhaseResult[];
  /** CPU of the simulator per request it served, and of this process per request it sent, in the measured rounds. */
  simulatorCpuMsPerRequest: number;
  loadGeneratorCpuMsPerRequest: number;
}

/** The processes whose CPU the phase measures: the gateways by target name, and the simulator. */
export interface MeasuredProcesses {
  gateways: Partial<Record<TargetName, number>>;
  simulator: number;
}

const measureRound = (load: LoadResult): RoundMeasure => ({
  p50: quantile(load.latenciesMs, 0.5),
  p99: quantile(load.latenciesMs, 0.99),
  firstByteP50: quantile(load.firstByteMs, 0.5),
  firstByteP99: quantile(load.firstByteMs, 0.99),
  throughput: load.wallMs === 0 ? 0 : (load.succeeded * 1000) / load.wallMs,
  succeeded: load.succeeded,
});

const primeConcurrency = 16;

interface CpuSnapshot {
  gateways: Map<string, number>;
  simulator: number;
  loadGenerator: NodeJS.CpuUsage;
}

const takeCpuSnapshot = (processes: MeasuredProcesses): CpuSnapshot => ({
  gateways: new Map(Object.entries(processes.gateways).map(([name, pid]) => [name, treeCpuMs(pid)])),
  simulator: treeCpuMs(processes.simulator),
  loadGenerator: process.cpuUsage(),
});

/** CPU milliseconds each process used since the snapshot (a gateway's whole process tree: cluster workers included). */
const cpuUsedSince = (before: CpuSnapshot, processes: MeasuredProcesses): { gateways: Map<string, number>; simulator: number; loadGenerator: number } => {
  const gateways = new Map<string, number>();
  for (const [name, pid] of Object.entries(processes.gateways)) gateways.set(name, treeCpuMs(pid) - (before.gateways.get(name) ?? 0));
  const loadGenerator = process.cpuUsage(before.loadGenerator);
  return { gateways, simulator: treeCpuMs(processes.simulator) - before.simulator, loadGenerator: (loadGenerator.user + loadGenerator.system) / 1000 };
};

const mergeErrors = (into: Record<string, number>, from: Record<string, number>): void => {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count;
};

interface Tally {
  rounds: RoundMeasure[];
  /** Warm-up included. */
  attempted: number;
  /** In the measured rounds only: what CPU is divided by. */
  measured: number;
  succeeded: number;
  errors: Record<string, number>;
}

const summarise = (target: TargetName, tally: Tally, cpuMs: number | undefined, pid: number | undefined): TargetPhaseResult => {
  const of = (pick: (round: RoundMeasure) => number): number => median(tally.rounds.map(pick));
  return {
    target,
    rounds: tally.rounds,
    p50: of((round) => round.p50),
    p99: of((round) => round.p99),
    firstByteP50: of((round) => round.firstByteP50),
    firstByteP99: of((round) => round.firstByteP99),
    throughput: of((round) => round.throughput),
    attempted: tally.attempted,
    succeeded: tally.succeeded,
    errors: tally.errors,
    cpuMsPerRequest: cpuMs === undefined || tally.measured === 0 ? undefined : cpuMs / tally.measured,
    rssBytes: pid === undefined ? undefined : treeRssBytes(pid),
  };
};

/**
 * One mode at one concurrency: warm every target up, then run the rounds, each visiting every target
 * in turn (the order rotates each round so no target always follows the same one). Drift of a noisy
 * machine then hits every target alike, and per-round comparisons cancel most of it.
 */
export const runPhase = async (settings: PhaseSettings, targets: readonly Target[], processes: MeasuredProcesses): Promise<PhaseResult> => {
  const body = Buffer.from(requestBody(settings.mode));
  const pools = new Map(targets.map((target) => [target.name, createTargetPool(target, settings.concurrency)]));
  const tallies = new Map<TargetName, Tally>(targets.map((target) => [target.name, { rounds: [], attempted: 0, measured: 0, succeeded: 0, errors: {} }]));
  const run = async (target: Target, budget: Budget, measured: boolean): Promise<LoadResult> => {
    const pool = pools.get(target.name);
    const tally = tallies.get(target.name);
    if (pool === undefined || tally === undefined) throw new Error(`no pool for ${target.name}`);
    const load = await runLoad({ pool, target, mode: settings.mode, body, concurrency: settings.concurrency, budget });
    tally.attempted += load.attempted;
    if (measured) tally.measured += load.attempted;
    tally.succeeded += load.succeeded;
    mergeErrors(tally.errors, load.errors);
    return load;
  };
  let cpu: CpuSnapshot;
  try {
    for (const target of targets) await run(target, { kind: 'count', requests: settings.warmupRequests }, false);
    // CPU is counted from here: warm-up (JIT, pools, caches) is not what a request costs in steady state.
    cpu = takeCpuSnapshot(processes);
    for (let round = 0; round < settings.rounds; round++) {
      const order = targets.map((_, index) => targets[(index + round) % targets.length]).filter((target) => target !== undefined);
      for (const target of order) tallies.get(target.name)?.rounds.push(measureRound(await run(target, settings.budget, true)));
    }
  } finally {
    await Promise.all([...pools.values()].map((pool) => pool.close()));
  }
  const used = cpuUsedSince(cpu, processes);
  const totalMeasured = [...tallies.values()].reduce((sum, tally) => sum + tally.measured, 0);
  const perRequest = (cpuMs: number): number => (totalMeasured === 0 ? 0 : cpuMs / totalMeasured);
  return {
    mode: settings.mode,
    concurrency: settings.concurrency,
    targets: targets.map((target) => summarise(target.name, tallies.get(target.name) ?? { rounds: [], attempted: 0, measured: 0, succeeded: 0, errors: {} }, used.gateways.get(target.name), processes.gateways[target.name])),
    simulatorCpuMsPerRequest: perRequest(used.simulator),
    loadGeneratorCpuMsPerRequest: perRequest(used.loadGenerator),
  };
};

export interface PrimingResult {
  /** Failures by target, then by kind; targets without failures are absent. */
  errors: Record<string, Record<string, number>>;
  /** Requests sent to each target. */
  sent: Partial<Record<TargetName, number>>;
}

/**
 * Sends `requests` to every target in every mode before the first phase, so the first phase does not
 * measure a cold start (unoptimised code, empty pools, first SQLite writes).
 */
export const primeTargets = async (targets: readonly Target[], modes: readonly Mode[], requests: number): Promise<PrimingResult> => {
  const result: PrimingResult = { errors: {}, sent: {} };
  for (const mode of modes) {
    const body = Buffer.from(requestBody(mode));
    for (const target of targets) {
      const pool = createTargetPool(target, primeConcurrency);
      try {
        const load = await runLoad({ pool, target, mode, body, concurrency: primeConcurrency, budget: { kind: 'count', requests } });
        result.sent[target.name] = (result.sent[target.name] ?? 0) + load.attempted;
        if (Object.keys(load.errors).length > 0) mergeErrors((result.errors[target.name] ??= {}), load.errors);
      } finally {
        await pool.close();
      }
    }
  }
  return result;
};
