import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countAnalyticsBenchFailures, renderAnalyticsReport, type AnalyticsBenchReport } from './analytics-report.ts';

const report = (overrides: Partial<AnalyticsBenchReport> = {}): AnalyticsBenchReport => ({
  machine: {
    date: '2026-01-31T00:00:00.000Z', cores: 2, cpuModel: 'Test CPU', node: 'v24.0.0', kernel: '6.0', memoryGiB: 8, freeMemoryGiB: 4,
    loadAverage: [0.5, 0.4, 0.3], bulwarkRevision: 'abc123', portkeyVersion: 'not used',
  },
  loadAverages: [{ moment: 'at start', values: [0.5, 0.4, 0.3] }],
  log: { rows: 1_000_000, days: 30, end: Date.UTC(2026, 0, 31), insertSeconds: 200, bytes: 300 * 2 ** 20 },
  rounds: 2,
  shapes: ['cheap', 'wide'],
  phases: [
    { concurrency: 1, timed: [{ shape: 'cheap', ms: 2 }, { shape: 'wide', ms: 5_000 }, { shape: 'cheap', ms: 4 }, { shape: 'wide', ms: 6_000 }], failures: {}, wallMs: 11_006 },
    { concurrency: 4, timed: [{ shape: 'cheap', ms: 5_000 }, { shape: 'wide', ms: 6_000 }], failures: {}, wallMs: 6_000 },
  ],
  chat: {
    concurrency: 4, windowSeconds: 10, analyticsConcurrency: 4,
    windows: [
      { loaded: false, latenciesMs: [1, 2, 3], succeeded: 3, wallMs: 10_000, errors: {}, analyticsCalls: [], analyticsFailures: 0 },
      { loaded: true, latenciesMs: [2, 3, 4], succeeded: 3, wallMs: 10_000, errors: {}, analyticsCalls: [{ shape: 'wide', ms: 7_000 }], analyticsFailures: 0 },
    ],
  },
  ...overrides,
});

test('the headline gives the P95 and P50 of all admin calls at each concurrency', () => {
  const markdown = renderAnalyticsReport(report());
  assert.match(markdown, /^# Admin analytics API on a 1,000,000-row request log$/m);
  assert.match(markdown, /\*\*Concurrency 1: P95 5850 ms, P50 2502 ms\*\* over 4 admin calls/);
  assert.match(markdown, /\*\*Concurrency 4: P95 5950 ms/);
});

test('the table has one row per shape with p50, p95 and max per concurrency, then all calls', () => {
  const lines = renderAnalyticsReport(report()).split('\n');
  assert.ok(lines.includes('| query | c=1 p50 | c=1 p95 | c=1 max | c=4 p50 | c=4 p95 | c=4 max |'));
  assert.ok(lines.includes('| cheap | 3.00 | 3.90 | 4.00 | 5000 | 5000 | 5000 |'));
  assert.ok(lines.includes('| wide | 5500 | 5950 | 6000 | 6000 | 6000 | 6000 |'));
  assert.ok(lines.some((line) => line.startsWith('| **all calls** | **2502** | **5850** | **6000** |')));
});

test('where the time goes is read at the lowest concurrency, where calls do not queue', () => {
  assert.match(renderAnalyticsReport(report()), /At concurrency 1, "wide" takes 100% of the time/);
});

test('chat is pooled per kind of window, with the admin calls answered during the loaded ones', () => {
  const markdown = renderAnalyticsReport(report());
  assert.match(markdown, /\| without analytics load \| 3 \| 0 \| 2\.00 \| 2\.98 \| 3\.00 \| 0 \| — \|/);
  assert.match(markdown, /\| with the mix at concurrency 4 \| 3 \| 0 \| 3\.00 \| 3\.98 \| 4\.00 \| 0 \| 1 \(p50 7000 ms\) \|/);
});

test('failures are counted and announced at the top, before any figure', () => {
  const failing = report({ phases: [{ concurrency: 1, timed: [], failures: { 'wide: status 500': 2 }, wallMs: 1 }] });
  assert.equal(countAnalyticsBenchFailures(failing), 2);
  assert.equal(countAnalyticsBenchFailures(report()), 0);
  const lines = renderAnalyticsReport(failing).split('\n');
  assert.match(lines[2] ?? '', /⚠ 2 calls failed/);
  assert.ok(lines.includes('- c=1 wide: status 500: 2'));
});
