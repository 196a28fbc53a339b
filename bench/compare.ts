import type { PhaseResult, RoundMeasure, TargetPhaseResult } from './phase.ts';
import { spread, type Spread } from './stats.ts';
import type { TargetName } from './targets.ts';

export type GatewayName = Exclude<TargetName, 'direct'>;

/** What a gateway adds over going direct, round by round: median and range over rounds. */
export interface AddedLatency {
  gateway: GatewayName;
  p50: Spread;
  p99: Spread;
  /** Streams: added time to the first SSE data chunk. NaN for non-streamed phases. */
  firstByteP50: Spread;
}

/** A value measured with metrics on and off, and on − off. */
export interface OnOff<Value> {
  on: Value;
  off: Value;
  difference: Value;
}

/**
 * What Prometheus metrics cost Bulwark: the `bulwark` target (metrics on) against `bulwark-no-metrics`
 * (the same config with `metrics.enabled: false`), both measured in the same rounds.
 */
export interface MetricsCost {
  /** Added over direct, per round, median and range; `difference` is on − off within each round. */
  addedP50: OnOff<Spread>;
  addedP99: OnOff<Spread>;
  /** CPU ms per request over the phase's measured rounds; undefined when a process could not be read. */
  cpuMsPerRequest: OnOff<number | undefined>;
}

export interface PhaseComparison {
  added: AddedLatency[];
  /** Present when the phase measured both `bulwark` and `bulwark-no-metrics`. */
  metricsCost: MetricsCost | undefined;
  /** Bulwark req/s ÷ Portkey req/s, per round; above 1 means Bulwark served more. */
  throughputRatio: Spread | undefined;
  /** Bulwark CPU ms per request ÷ Portkey's; below 1 means Bulwark spent less CPU per request. */
  cpuRatio: number | undefined;
}

/**
 * Differences taken within a round (gateway round r − direct round r) and then the median over rounds:
 * both targets of a round ran within seconds of each other, so machine drift largely cancels.
 */
const perRound = (gateway: TargetPhaseResult, baseline: TargetPhaseResult, pick: (round: RoundMeasure) => number, combine: (a: number, b: number) => number): Spread => {
  const values: number[] = [];
  gateway.rounds.forEach((round, index) => {
    const base = baseline.rounds[index];
    if (base === undefined) return;
    const value = combine(pick(round), pick(base));
    if (Number.isFinite(value)) values.push(value);
  });
  return spread(values);
};

const difference = (a: number, b: number): number => a - b;
const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

const finiteOrUndefined = (value: number | undefined): number | undefined => (value !== undefined && Number.isFinite(value) ? value : undefined);

const cpuDifference = (on: number | undefined, off: number | undefined): number | undefined => (on === undefined || off === undefined ? undefined : on - off);

/**
 * Metrics on − off is taken round by round, like the added latency: within a round, direct is the same
 * for both, so (on − direct) − (off − direct) is simply on − off of that round.
 */
const compareMetrics = (on: TargetPhaseResult, off: TargetPhaseResult, direct: TargetPhaseResult): MetricsCost => {
  const onOff = (pick: (round: RoundMeasure) => number): OnOff<Spread> => ({
    on: perRound(on, direct, pick, difference),
    off: perRound(off, direct, pick, difference),
    difference: perRound(on, off, pick, difference),
  });
  const cpuOn = finiteOrUndefined(on.cpuMsPerRequest);
  const cpuOff = finiteOrUndefined(off.cpuMsPerRequest);
  return {
    addedP50: onOff((round) => round.p50),
    addedP99: onOff((round) => round.p99),
    cpuMsPerRequest: { on: cpuOn, off: cpuOff, difference: cpuDifference(cpuOn, cpuOff) },
  };
};

export const comparePhase = (phase: PhaseResult): PhaseComparison => {
  const find = (name: TargetName): TargetPhaseResult | undefined => phase.targets.find((target) => target.target === name);
  const direct = find('direct');
  const bulwark = find('bulwark');
  const bulwarkNoMetrics = find('bulwark-no-metrics');
  const portkey = find('portkey');
  const added: AddedLatency[] = [];
  for (const gateway of [bulwark, bulwarkNoMetrics, portkey]) {
    if (gateway === undefined || direct === undefined || gateway.target === 'direct') continue;
    added.push({
      gateway: gateway.target,
      p50: perRound(gateway, direct, (round) => round.p50, difference),
      p99: perRound(gateway, direct, (round) => round.p99, difference),
      firstByteP50: perRound(gateway, direct, (round) => round.firstByteP50, difference),
    });
  }
  const bothGateways = bulwark !== undefined && portkey !== undefined;
  const cpu = bothGateways && bulwark.cpuMsPerRequest !== undefined && portkey.cpuMsPerRequest !== undefined ? ratio(bulwark.cpuMsPerRequest, portkey.cpuMsPerRequest) : undefined;
  return {
    added,
    metricsCost: bulwark !== undefined && bulwarkNoMetrics !== undefined && direct !== undefined ? compareMetrics(bulwark, bulwarkNoMetrics, direct) : undefined,
    throughputRatio: bothGateways ? perRound(bulwark, portkey, (round) => round.throughput, ratio) : undefined,
    cpuRatio: cpu !== undefined && Number.isFinite(cpu) ? cpu : undefined,
  };
};
