import { deploymentKey } from './deployment-key.ts';
import type { DeploymentLatency, LatencyTracker } from './latency-tracker.ts';

export const balancingStrategies = ['ordered', 'weighted', 'least-latency', 'least-busy'] as const;

/**
 * How a route's targets are ordered for one request. The first is tried first; the rest stay as
 * fallbacks, so every strategy keeps failover.
 *
 * - `ordered`: config order.
 * - `weighted`: the first drawn at random in proportion to `weight`, the rest by weight, heaviest first.
 * - `least-latency`: lowest average latency first (time to first token for streams); deployments not
 *   yet measured are tried first, and now and then a slower one goes first to be measured again.
 * - `least-busy`: fewest attempts in flight first, ties drawn at random.
 */
export type BalancingStrategy = (typeof balancingStrategies)[number];

/** What balancing needs of a target; RouteTarget has it. `weight` defaults to 1. */
export interface BalancedTarget {
  provider: { readonly name: string };
  model: string;
  weight?: number;
}

export interface OrderTargetsOptions {
  /** `least-latency`: chance (0..1) that a measured deployment other than the fastest goes first. */
  explorationProbability?: number;
  /** `least-latency`: rank by time to first token (streams) or by whole latency (default). */
  metric?: 'latency' | 'time-to-first-token';
}

/** A number in [0, 1), like Math.random; injected so tests are deterministic. */
export type RandomSource = () => number;

type Load = Pick<LatencyTracker, 'get'>;

const loadOf = (tracker: Load, target: BalancedTarget): Readonly<DeploymentLatency> =>
  tracker.get(deploymentKey(target.provider.name, target.model));

/** Negative, NaN or infinite weights count as 0: such a target is only ever a fallback. */
const weightOf = (target: BalancedTarget): number => {
  const weight = target.weight ?? 1;
  return Number.isFinite(weight) && weight > 0 ? weight : 0;
};

/** Index drawn from [0, length), robust to a random source returning exactly 1. */
const drawIndex = (random: RandomSource, length: number): number => Math.min(length - 1, Math.floor(random() * length));

const orderWeighted = <Target extends BalancedTarget>(targets: readonly Target[], random: RandomSource): readonly Target[] => {
  const weights = targets.map(weightOf);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0) return targets;
  let point = random() * total;
  let chosen = weights.findIndex((weight) => weight > 0);
  for (const [index, weight] of weights.entries()) {
    if (weight <= 0) continue;
    chosen = index;
    if (point < weight) break;
    point -= weight;
  }
  const rest = targets
    .map((target, index) => ({ target, index }))
    .filter(({ index }) => index !== chosen)
    .toSorted((left, right) => (weights[right.index] ?? 0) - (weights[left.index] ?? 0) || left.index - right.index)
    .map(({ target }) => target);
  return [targets[chosen] as Target, ...rest];
};

const orderLeastLatency = <Target extends BalancedTarget>(
  targets: readonly Target[],
  tracker: Load,
  random: RandomSource,
  { explorationProbability = 0.05, metric = 'latency' }: OrderTargetsOptions,
): readonly Target[] => {
  const unmeasuredIdle: Target[] = [];
  const unmeasuredBusy: { target: Target; inFlight: number }[] = [];
  const measured: { target: Target; latency: number }[] = [];
  for (const target of targets) {
    const load = loadOf(tracker, target);
    const latency = metric === 'time-to-first-token' ? load.timeToFirstTokenMs : load.latencyMs;
    if (latency !== undefined) measured.push({ target, latency });
    // One probe at a time: an unmeasured deployment already being tried waits behind the measured ones.
    else if (load.inFlight === 0) unmeasuredIdle.push(target);
    else unmeasuredBusy.push({ target, inFlight: load.inFlight });
  }
  measured.sort((left, right) => left.latency - right.latency);
  // A deployment that was slow once is otherwise never measured again; exploring now and then lets
  // a recovered one win back its place.
  if (measured.length > 1 && random() < explorationProbability) {
    const [explored] = measured.splice(1 + drawIndex(random, measured.length - 1), 1);
    if (explored !== undefined) measured.unshift(explored);
  }
  unmeasuredBusy.sort((left, right) => left.inFlight - right.inFlight);
  return [...unmeasuredIdle, ...measured.map(({ target }) => target), ...unmeasuredBusy.map(({ target }) => target)];
};

const orderLeastBusy = <Target extends BalancedTarget>(targets: readonly Target[], tracker: Load, random: RandomSource): readonly Target[] =>
  targets
    .map((target) => ({ target, inFlight: loadOf(tracker, target).inFlight, tieBreak: random() }))
    .toSorted((left, right) => left.inFlight - right.inFlight || left.tieBreak - right.tieBreak)
    .map(({ target }) => target);

/**
 * The route's targets in the order to try them for one request, by `strategy`. Never drops a target:
 * the ones not chosen first remain as fallbacks. Allocates nothing for `ordered` or a single target.
 */
export const orderTargets = <Target extends BalancedTarget>(
  targets: readonly Target[],
  strategy: BalancingStrategy,
  tracker: Load,
  random: RandomSource = Math.random,
  options: OrderTargetsOptions = {},
): readonly Target[] => {
  if (targets.length <= 1) return targets;
  switch (strategy) {
    case 'ordered':
      return targets;
    case 'weighted':
      return orderWeighted(targets, random);
    case 'least-latency':
      return orderLeastLatency(targets, tracker, random, options);
    case 'least-busy':
      return orderLeastBusy(targets, tracker, random);
  }
};
