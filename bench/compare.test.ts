import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePhase } from './compare.ts';
import type { PhaseResult, RoundMeasure, TargetPhaseResult } from './phase.ts';
import type { TargetName } from './targets.ts';

const round = (p50: number, throughput: number): RoundMeasure => ({ p50, p99: p50 * 2, firstByteP50: Number.NaN, firstByteP99: Number.NaN, throughput, succeeded: 100 });
const target = (name: TargetName, rounds: RoundMeasure[], cpuMsPerRequest?: number): TargetPhaseResult => ({
  target: name, rounds, p50: 0, p99: 0, firstByteP50: Number.NaN, firstByteP99: Number.NaN, throughput: 0, attempted: 300, succeeded: 300, errors: {}, cpuMsPerRequest, rssBytes: undefined,
});
const phase = (targets: TargetPhaseResult[]): PhaseResult => ({ mode: 'json', concurrency: 1, targets, simulatorCpuMsPerRequest: 0, loadGeneratorCpuMsPerRequest: 0 });

test('added latency is taken round by round, then the median over rounds', () => {
  // Round 2 is slow for everyone (machine drift): the per-round difference stays 1 ms.
  const comparison = comparePhase(phase([
    target('direct', [round(1, 1000), round(5, 200), round(1, 1000)]),
    target('bulwark', [round(2, 500), round(6, 150), round(2, 500)], 1),
    target('portkey', [round(4, 250), round(8, 100), round(4, 250)], 2),
  ]));
  const bulwark = comparison.added.find((added) => added.gateway === 'bulwark');
  assert.deepEqual(bulwark?.p50, { median: 1, min: 1, max: 1 });
  assert.deepEqual(bulwark?.p99, { median: 2, min: 2, max: 2 });
  assert.equal(comparison.added.find((added) => added.gateway === 'portkey')?.p50.median, 3);
  assert.deepEqual(comparison.throughputRatio, { median: 2, min: 1.5, max: 2 });
  assert.equal(comparison.cpuRatio, 0.5);
});

test('without Portkey there is no ratio, and NaN first-byte values are left out', () => {
  const comparison = comparePhase(phase([target('direct', [round(1, 1000)]), target('bulwark', [round(2, 500)], 1)]));
  assert.equal(comparison.throughputRatio, undefined);
  assert.equal(comparison.cpuRatio, undefined);
  assert.ok(Number.isNaN(comparison.added[0]?.firstByteP50.median));
});

/** Rounds from p50s alone: p99 is twice the p50, as `round` makes it. */
const rounds = (...p50s: number[]): RoundMeasure[] => p50s.map((p50) => round(p50, 1000));

test('what metrics cost: added latency over direct with metrics on and off, and on − off, round by round', () => {
  const comparison = comparePhase(phase([
    target('direct', rounds(1, 5, 1)),
    target('bulwark', rounds(2.5, 6.75, 2.5), 0.75),
    target('bulwark-no-metrics', rounds(2.25, 6.25, 2.5), 0.5),
  ]));
  const cost = comparison.metricsCost;
  assert.ok(cost !== undefined);
  // Added p50 per round: on 1.5, 1.75, 1.5; off 1.25, 1.25, 1.5; on − off 0.25, 0.5, 0.
  assert.deepEqual(cost.addedP50, {
    on: { median: 1.5, min: 1.5, max: 1.75 },
    off: { median: 1.25, min: 1.25, max: 1.5 },
    difference: { median: 0.25, min: 0, max: 0.5 },
  });
  assert.deepEqual(cost.addedP99, {
    on: { median: 3, min: 3, max: 3.5 },
    off: { median: 2.5, min: 2.5, max: 3 },
    difference: { median: 0.5, min: 0, max: 1 },
  });
  assert.deepEqual(cost.cpuMsPerRequest, { on: 0.75, off: 0.5, difference: 0.25 });
  // The metrics-off Bulwark is a gateway like the others in the added-latency table.
  assert.deepEqual(comparison.added.map((added) => added.gateway), ['bulwark', 'bulwark-no-metrics']);
  assert.deepEqual(comparison.added[1]?.p50, { median: 1.25, min: 1.25, max: 1.5 });
});

test('on − off is the median of per-round differences, not the difference of the medians', () => {
  const cost = comparePhase(phase([
    target('direct', rounds(0, 0, 0)),
    target('bulwark', rounds(1, 2, 10)),
    target('bulwark-no-metrics', rounds(0, 3, 4)),
  ])).metricsCost;
  assert.equal(cost?.addedP50.on.median, 2);
  assert.equal(cost?.addedP50.off.median, 3);
  // Per round: 1, −1, 6. The difference of medians (−1) would say metrics made Bulwark faster.
  assert.deepEqual(cost?.addedP50.difference, { median: 1, min: -1, max: 6 });
});

test('what metrics cost needs both Bulwarks and direct; an unreadable CPU leaves the difference out', () => {
  assert.equal(comparePhase(phase([target('direct', rounds(1)), target('bulwark', rounds(2), 1)])).metricsCost, undefined);
  assert.equal(comparePhase(phase([target('bulwark', rounds(2), 1), target('bulwark-no-metrics', rounds(2), 1)])).metricsCost, undefined);
  const cost = comparePhase(phase([target('direct', rounds(1)), target('bulwark', rounds(2), 1), target('bulwark-no-metrics', rounds(2))])).metricsCost;
  assert.deepEqual(cost?.cpuMsPerRequest, { on: 1, off: undefined, difference: undefined });
});

test('with all four targets the Bulwark ÷ Portkey ratios still compare the metrics-on Bulwark', () => {
  const comparison = comparePhase(phase([
    target('direct', [round(1, 1000)]),
    target('bulwark', [round(2, 500)], 1),
    target('bulwark-no-metrics', [round(2, 600)], 0.5),
    target('portkey', [round(4, 250)], 2),
  ]));
  assert.deepEqual(comparison.throughputRatio, { median: 2, min: 2, max: 2 });
  assert.equal(comparison.cpuRatio, 0.5);
  assert.deepEqual(comparison.added.map((added) => added.gateway), ['bulwark', 'bulwark-no-metrics', 'portkey']);
});
