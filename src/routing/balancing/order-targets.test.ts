import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balancingOptionsSchema, targetWeightSchema } from './balancing-options.ts';
import { createLatencyTracker, type LatencyTracker } from './latency-tracker.ts';
import { orderTargets, type BalancedTarget, type RandomSource } from './order-targets.ts';

const target = (name: string, weight?: number): BalancedTarget => ({ provider: { name }, model: 'gpt-4o', ...(weight === undefined ? {} : { weight }) });
const names = (targets: readonly BalancedTarget[]): string[] => targets.map((each) => each.provider.name);

/** Returns the given numbers in turn, and fails the test if asked for more. */
const randoms = (...values: number[]): RandomSource => () => {
  const value = values.shift();
  if (value === undefined) throw new Error('random source exhausted');
  return value;
};
const never: RandomSource = () => {
  throw new Error('random source used');
};

const a = target('a', 1);
const b = target('b', 3);
const c = target('c', 0);
const d = target('d', 1);

test('ordered keeps config order and draws no random number', () => {
  const targets = [a, b, c];
  assert.equal(orderTargets(targets, 'ordered', createLatencyTracker(), never), targets);
});

test('a single target is returned as it is under every strategy', () => {
  for (const strategy of ['ordered', 'weighted', 'least-latency', 'least-busy'] as const) {
    assert.deepEqual(names(orderTargets([a], strategy, createLatencyTracker(), never)), ['a']);
  }
  assert.deepEqual(orderTargets([], 'weighted', createLatencyTracker(), never), []);
});

test('weighted draws the first in proportion to weight, then the rest heaviest first', () => {
  const tracker = createLatencyTracker();
  const targets = [a, b, c, d]; // weights 1, 3, 0, 1: total 5
  assert.deepEqual(names(orderTargets(targets, 'weighted', tracker, randoms(0))), ['a', 'b', 'd', 'c']);
  assert.deepEqual(names(orderTargets(targets, 'weighted', tracker, randoms(0.19))), ['a', 'b', 'd', 'c']);
  assert.deepEqual(names(orderTargets(targets, 'weighted', tracker, randoms(0.2))), ['b', 'a', 'd', 'c']);
  assert.deepEqual(names(orderTargets(targets, 'weighted', tracker, randoms(0.79))), ['b', 'a', 'd', 'c']);
  assert.deepEqual(names(orderTargets(targets, 'weighted', tracker, randoms(0.8))), ['d', 'b', 'a', 'c']);
  assert.deepEqual(names(orderTargets(targets, 'weighted', tracker, randoms(0.999_999))), ['d', 'b', 'a', 'c']);
});

test('weighted spreads traffic by weight over many draws', () => {
  const counts = new Map<string, number>();
  const targets = [a, b, c, d];
  for (let step = 0; step < 1000; step += 1) {
    const [first] = orderTargets(targets, 'weighted', createLatencyTracker(), randoms(step / 1000));
    counts.set(first?.provider.name ?? '', (counts.get(first?.provider.name ?? '') ?? 0) + 1);
  }
  assert.deepEqual(Object.fromEntries(counts), { a: 200, b: 600, d: 200 });
});

test('weighted with no positive weight, or a missing weight, falls back sensibly', () => {
  const tracker = createLatencyTracker();
  assert.deepEqual(names(orderTargets([c, target('e', 0)], 'weighted', tracker, randoms(0.5))), ['c', 'e']);
  // No weight means 1; a malformed weight means 0 (fallback only).
  const unweighted = [target('x'), target('y', Number.NaN), target('z', -2), target('w')];
  assert.deepEqual(names(orderTargets(unweighted, 'weighted', tracker, randoms(0.6))), ['w', 'x', 'y', 'z']);
});

const measuredTracker = (latencies: Record<string, number | undefined>, inFlight: Record<string, number> = {}): LatencyTracker => {
  const tracker = createLatencyTracker();
  for (const [name, latencyMs] of Object.entries(latencies)) if (latencyMs !== undefined) tracker.observe(`${name}/gpt-4o`, { latencyMs, timeToFirstTokenMs: latencyMs / 10 });
  for (const [name, count] of Object.entries(inFlight)) for (let index = 0; index < count; index += 1) tracker.begin(`${name}/gpt-4o`);
  return tracker;
};

test('least-latency puts the fastest first when nothing is left to explore', () => {
  const tracker = measuredTracker({ a: 900, b: 300, c: 600 });
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', tracker, randoms(0.5))), ['b', 'c', 'a']);
});

test('least-latency tries an unmeasured deployment first, but only one probe at a time', () => {
  const idle = measuredTracker({ a: 900, b: 300 });
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', idle, randoms(0.5))), ['c', 'b', 'a']);
  const probing = measuredTracker({ a: 900, b: 300 }, { c: 1 });
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', probing, randoms(0.5))), ['b', 'a', 'c']);
});

test('least-latency with nothing measured spreads the first probes over idle deployments', () => {
  const tracker = measuredTracker({}, { a: 2, b: 1 });
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', tracker, never)), ['c', 'b', 'a']);
});

test('least-latency now and then explores a slower measured deployment', () => {
  const tracker = measuredTracker({ a: 900, b: 300, c: 600 });
  // Below the exploration probability: the second draw picks among the slower ones (c, then a).
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', tracker, randoms(0.04, 0.9), { explorationProbability: 0.05 })), ['a', 'b', 'c']);
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', tracker, randoms(0.04, 0.1), { explorationProbability: 0.05 })), ['c', 'b', 'a']);
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', tracker, randoms(0.05), { explorationProbability: 0.05 })), ['b', 'c', 'a']);
  assert.deepEqual(names(orderTargets([a, b, c], 'least-latency', tracker, randoms(0), { explorationProbability: 0 })), ['b', 'c', 'a']);
});

test('least-latency ranks streams by time to first token when asked', () => {
  const tracker = createLatencyTracker();
  tracker.observe('a/gpt-4o', { latencyMs: 5000, timeToFirstTokenMs: 200 });
  tracker.observe('b/gpt-4o', { latencyMs: 1000, timeToFirstTokenMs: 800 });
  assert.deepEqual(names(orderTargets([a, b], 'least-latency', tracker, randoms(0.5))), ['b', 'a']);
  assert.deepEqual(names(orderTargets([a, b], 'least-latency', tracker, randoms(0.5), { metric: 'time-to-first-token' })), ['a', 'b']);
});

test('least-busy puts the fewest in flight first, ties broken by the random source', () => {
  const tracker = measuredTracker({}, { a: 3, b: 1, d: 1 });
  assert.deepEqual(names(orderTargets([a, b, c, d], 'least-busy', tracker, randoms(0.5, 0.7, 0.5, 0.2))), ['c', 'd', 'b', 'a']);
  assert.deepEqual(names(orderTargets([a, b, c, d], 'least-busy', tracker, randoms(0.5, 0.1, 0.5, 0.2))), ['c', 'b', 'd', 'a']);
});

test('the options schema defaults to ordered, and refuses unknown strategies and fields', () => {
  assert.deepEqual(balancingOptionsSchema.parse({}), { strategy: 'ordered', explorationProbability: 0.05 });
  assert.deepEqual(balancingOptionsSchema.parse({ strategy: 'least-busy' }), { strategy: 'least-busy', explorationProbability: 0.05 });
  assert.equal(balancingOptionsSchema.safeParse({ strategy: 'round-robin' }).success, false);
  assert.equal(balancingOptionsSchema.safeParse({ explorationProbability: 1.5 }).success, false);
  assert.equal(balancingOptionsSchema.safeParse({ strategy: 'weighted', weights: [1] }).success, false);
  assert.equal(targetWeightSchema.parse(undefined), 1);
  assert.equal(targetWeightSchema.safeParse(-1).success, false);
  assert.equal(targetWeightSchema.safeParse(Number.POSITIVE_INFINITY).success, false);
  assert.equal(targetWeightSchema.safeParse('3').success, false);
});
