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
