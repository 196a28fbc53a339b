import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchOptions } from './bench-options.ts';

test('defaults compare all three targets at 1, 16 and 64 in both modes', () => {
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
