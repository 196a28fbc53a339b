import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAnalyticsBenchOptions } from './analytics-options.ts';

test('defaults: a million rows, 10 rounds at concurrency 1 and 4, two 15 s chat windows of each kind', () => {
  assert.deepEqual(parseAnalyticsBenchOptions([]), { kind: 'run', rows: 1_000_000, rounds: 10, concurrencies: [1, 4], chatSeconds: 15, chatWindows: 2 });
});

test('every option is read, and repeated concurrency levels collapse', () => {
  assert.deepEqual(
    parseAnalyticsBenchOptions(['--rows', '5000', '--rounds', '3', '--concurrency', '2, 2,8', '--chat-seconds', '2.5', '--chat-windows', '1']),
    { kind: 'run', rows: 5000, rounds: 3, concurrencies: [2, 8], chatSeconds: 2.5, chatWindows: 1 },
  );
});

test('--help wins over everything else', () => {
  assert.deepEqual(parseAnalyticsBenchOptions(['--rows', '10', '--help']), { kind: 'help' });
});

test('malformed numbers are refused, naming the option', () => {
  for (const [option, value] of [['--rows', '0'], ['--rows', '1e3.5'], ['--rows', ''], ['--rounds', '-1'], ['--rounds', '2.5'], ['--concurrency', '1,,4'], ['--concurrency', 'four'], ['--chat-seconds', 'NaN'], ['--chat-windows', 'Infinity']] as const) {
    assert.throws(() => parseAnalyticsBenchOptions([option, value]), new RegExp(option), `${option} ${value}`);
  }
});

test('unknown options and positionals are refused', () => {
  assert.throws(() => parseAnalyticsBenchOptions(['--row', '10']), /Unknown option/);
  assert.throws(() => parseAnalyticsBenchOptions(['10']), /positional/i);
});
