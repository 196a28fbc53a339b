import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchOptions } from './bench-options.ts';

test('defaults compare direct, Bulwark and Portkey at 1, 16 and 64 in both modes, reporting to the default path', () => {
  assert.deepEqual(parseBenchOptions([]), {
    kind: 'compare',
    budget: { kind: 'count', requests: 300 },
    rounds: 5,
    warmupRequests: 100,
    concurrencies: [1, 16, 64],
    modes: ['json', 'stream'],
    targets: ['direct', 'bulwark', 'portkey'],
    workers: 1,
  });
});

test('--duration bounds each round by time, with a request cap', () => {
  const options = parseBenchOptions(['--duration', '2.5', '--workers', '2']);
  assert.equal(options.kind, 'compare');
  if (options.kind !== 'compare') return;
  assert.equal(options.budget.kind, 'time');
  if (options.budget.kind === 'time') assert.equal(options.budget.milliseconds, 2500);
  assert.equal(options.workers, 2);
});

test('direct is always measured, and targets keep their canonical order', () => {
  const options = parseBenchOptions(['--targets', 'portkey,bulwark']);
  assert.ok(options.kind === 'compare');
  assert.deepEqual(options.targets, ['direct', 'bulwark', 'portkey']);
});

const targetsOf = (list: string): unknown => {
  const options = parseBenchOptions(['--targets', list]);
  assert.ok(options.kind === 'compare');
  return options.targets;
};

test('bulwark-no-metrics is opt-in and measured beside bulwark, in canonical order', () => {
  assert.deepEqual(targetsOf('direct,bulwark,bulwark-no-metrics'), ['direct', 'bulwark', 'bulwark-no-metrics']);
  assert.deepEqual(targetsOf('portkey,bulwark-no-metrics,bulwark,direct'), ['direct', 'bulwark', 'bulwark-no-metrics', 'portkey']);
  // Measured alone it would be compared with nothing: bulwark comes along, as direct always does.
  assert.deepEqual(targetsOf('bulwark-no-metrics'), ['direct', 'bulwark', 'bulwark-no-metrics']);
  assert.deepEqual(targetsOf(' bulwark , bulwark-no-metrics,bulwark-no-metrics, '), ['direct', 'bulwark', 'bulwark-no-metrics']);
});

test('malformed --targets are refused with the argument named', () => {
  assert.throws(() => parseBenchOptions(['--targets', '']), /--targets needs at least one of direct, bulwark, bulwark-no-metrics, portkey/);
  assert.throws(() => parseBenchOptions(['--targets', ' , ,']), /--targets needs at least one/);
  assert.throws(() => parseBenchOptions(['--targets', 'bulwark_no_metrics']), /--targets: unknown "bulwark_no_metrics"/);
  assert.throws(() => parseBenchOptions(['--targets', 'Bulwark']), /--targets: unknown "Bulwark"/);
  assert.throws(() => parseBenchOptions(['--targets', 'bulwark;portkey']), /--targets: unknown "bulwark;portkey"/);
  assert.throws(() => parseBenchOptions(['--targets', 'direct,bulwark-no-metrics,litellm']), /--targets: unknown "litellm"/);
  assert.throws(() => parseBenchOptions(['--targets']), /argument missing/);
});

test('--out moves the report (the JSON goes beside it); it must name a .md file', () => {
  const compare = parseBenchOptions(['--out', '/tmp/bench/metrics.md']);
  assert.ok(compare.kind === 'compare');
  assert.equal(compare.out, '/tmp/bench/metrics.md');
  const soak = parseBenchOptions(['--soak', '1', '--out', 'soak.md']);
  assert.ok(soak.kind === 'soak');
  assert.equal(soak.out, 'soak.md');
  assert.throws(() => parseBenchOptions(['--out', 'latest.json']), /--out takes a path ending in \.md/);
  assert.throws(() => parseBenchOptions(['--out', '']), /--out takes a path ending in \.md/);
  assert.throws(() => parseBenchOptions(['--out', '.md']), /--out takes a path ending in \.md/);
  assert.throws(() => parseBenchOptions(['--out']), /argument missing/);
});

test('--soak selects the soak with its own concurrency', () => {
  assert.deepEqual(parseBenchOptions(['--soak', '0.5', '--soak-concurrency', '8']), { kind: 'soak', minutes: 0.5, concurrency: 8, workers: 1, warmupRequests: 100 });
});

test('bad values are refused with the argument named', () => {
  assert.throws(() => parseBenchOptions(['--requests', '0']), /--requests takes a positive integer/);
  assert.throws(() => parseBenchOptions(['--concurrency', '1,x']), /--concurrency/);
  assert.throws(() => parseBenchOptions(['--modes', 'grpc']), /--modes: unknown "grpc"/);
  assert.throws(() => parseBenchOptions(['--workers', '1.5']), /--workers/);
  assert.throws(() => parseBenchOptions(['--requests', '10', '--duration', '1']), /exclude each other/);
  assert.throws(() => parseBenchOptions(['--port', '1']), /Unknown option/);
});
