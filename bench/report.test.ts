import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseBenchOptions } from './bench-options.ts';
import type { MachineInfo } from './machine-info.ts';
import type { MetricsCheck } from './metrics-check.ts';
import type { PhaseResult, RoundMeasure, TargetPhaseResult } from './phase.ts';
import { defaultReportPath, jsonPathFor, renderMarkdown, writeReport, type BenchReport } from './report.ts';
import type { TargetName } from './targets.ts';

const machine: MachineInfo = {
  date: '2026-01-01T00:00:00.000Z', cores: 2, cpuModel: 'test CPU', memoryGiB: 4, freeMemoryGiB: 2, kernel: '6.0', node: 'v24.0.0', loadAverage: [0, 0, 0], bulwarkRevision: 'test', portkeyVersion: '1.0.0',
};

const round = (p50: number): RoundMeasure => ({ p50, p99: p50 * 2, firstByteP50: Number.NaN, firstByteP99: Number.NaN, throughput: 1000, succeeded: 1000 });
const target = (name: TargetName, p50s: number[], cpuMsPerRequest?: number): TargetPhaseResult => ({
  target: name, rounds: p50s.map(round), p50: 0, p99: 0, firstByteP50: Number.NaN, firstByteP99: Number.NaN, throughput: 1000, attempted: 2100, succeeded: 2100, errors: {}, cpuMsPerRequest, rssBytes: 2 ** 27,
});
const phase = (targets: TargetPhaseResult[]): PhaseResult => ({ mode: 'json', concurrency: 8, targets, simulatorCpuMsPerRequest: 0.1, loadGeneratorCpuMsPerRequest: 0.2 });

const options = parseBenchOptions(['--targets', 'direct,bulwark,bulwark-no-metrics', '--rounds', '2', '--requests', '1000']);
const withBothBulwarks = phase([target('direct', [1, 1]), target('bulwark', [1.5, 1.75], 0.8), target('bulwark-no-metrics', [1.25, 1.5], 0.75)]);
const passed: MetricsCheck = { outcome: 'passed', sent: 4200, counted: 4200, metricsOffStatus: 404 };

const report = (overrides: Partial<BenchReport>): BenchReport => ({ machine, options, phases: [withBothBulwarks], cpuTickMs: 10, ...overrides });

test('the report shows what metrics cost per mode and concurrency, with the check that metrics were recorded', () => {
  const markdown = renderMarkdown(report({ metricsCheck: passed }));
  assert.match(markdown, /## What metrics cost/);
  assert.match(markdown, /Metrics check passed\. One `GET \/metrics` from 127\.0\.0\.1 after the run: .*`bulwark_requests_total` \(all series\) = 4200, requests sent to it \(priming and warm-up included\) = 4200; the metrics-off Bulwark answers it with 404\./);
  assert.match(markdown, /with 2000 measured requests per target per phase, a difference under 0\.0050 ms\/req cannot be seen/);
  // Added p50 on +0.50/+0.75, off +0.25/+0.50, on − off +0.25 each round; CPU 0.8 − 0.75 = +0.05 (+6.7%).
  assert.ok(markdown.includes('| json | 8 | +0.63 (+0.50…+0.75) | +0.38 (+0.25…+0.50) | +0.25 (+0.25…+0.25) | +1.25 (+1.00…+1.50) | +0.75 (+0.50…+1.00) | +0.50 (+0.50…+0.50) | 0.800 | 0.750 | +0.050 (+6.7%) |'), markdown);
  assert.match(markdown, /\| json \| 8 \| bulwark-no-metrics \| \+0\.38/, 'the added-latency table lists the metrics-off Bulwark too');
});

test('a failed or missing metrics check is flagged where the reader looks', () => {
  const failed = renderMarkdown(report({ metricsCheck: { outcome: 'failed', sent: 4200, counted: 0, metricsOffStatus: 200 } }));
  assert.match(failed, /\*\*⚠ Metrics check FAILED/);
  assert.match(failed, /= 0, requests sent to it .* = 4200; the metrics-off Bulwark answers it with 200 \(404 expected/);
  const unreadable = renderMarkdown(report({ metricsCheck: { outcome: 'failed', sent: 10, counted: undefined, metricsOffStatus: undefined, error: 'fetch failed' } }));
  assert.match(unreadable, /could not be read, requests sent to it .* = 10 \(fetch failed\)\./);
  assert.match(renderMarkdown(report({ metricsCheck: { outcome: 'skipped', reason: '2 workers' } })), /Metrics check skipped \(2 workers\)\./);
  assert.match(renderMarkdown(report({})), /\*\*⚠ Metrics check: not run\.\*\*/);
});

test('without the metrics-off Bulwark there is no metrics section', () => {
  const markdown = renderMarkdown(report({ phases: [phase([target('direct', [1]), target('bulwark', [2], 1)])] }));
  assert.doesNotMatch(markdown, /What metrics cost|Metrics check/);
  assert.match(markdown, /## What each gateway adds over direct/);
});

test('writeReport writes the markdown where asked and the JSON beside it', () => {
  const directory = mkdtempSync(join(tmpdir(), 'bench-report-'));
  try {
    const path = join(directory, 'nested', 'metrics.md');
    const markdown = writeReport(report({ metricsCheck: passed }), path);
    assert.equal(readFileSync(path, 'utf8'), markdown);
    const json = JSON.parse(readFileSync(join(directory, 'nested', 'metrics.json'), 'utf8')) as BenchReport;
    assert.deepEqual(json.metricsCheck, passed);
    assert.equal(json.phases[0]?.targets[0]?.firstByteP50, null, 'NaN is written as null');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('default report paths are unchanged: latest.md for the comparison, soak-latest.md for a soak', () => {
  assert.match(defaultReportPath('compare'), /bench\/results\/latest\.md$/);
  assert.match(defaultReportPath('soak'), /bench\/results\/soak-latest\.md$/);
  assert.equal(jsonPathFor('/x/latest.md'), '/x/latest.json');
});
