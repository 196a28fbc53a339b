import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dominantShape, latenciesByShape, summarizeLatencies } from './analytics-latency.ts';

test('summarizes with the same interpolated percentiles as the other benchmarks', () => {
  const values = Array.from({ length: 101 }, (_, index) => 100 - index); // 0..100, unsorted
  assert.deepEqual(summarizeLatencies(values), { calls: 101, p50: 50, p95: 95, p99: 99, max: 100 });
  assert.deepEqual(summarizeLatencies([7]), { calls: 1, p50: 7, p95: 7, p99: 7, max: 7 });
});

test('no values summarize to NaN, not to zero, so an empty row cannot pass for a fast one', () => {
  const empty = summarizeLatencies([]);
  assert.equal(empty.calls, 0);
  for (const value of [empty.p50, empty.p95, empty.p99, empty.max]) assert.ok(Number.isNaN(value));
});

test('groups calls by shape in the order given, keeping shapes without calls', () => {
  const rows = latenciesByShape([{ shape: 'b', ms: 2 }, { shape: 'a', ms: 1 }, { shape: 'b', ms: 4 }], ['a', 'b', 'c']);
  assert.deepEqual(rows.map((row) => [row.shape, row.calls, row.max]), [['a', 1, 1], ['b', 2, 4], ['c', 0, Number.NaN]]);
});

test('the dominant shape is the one with the most total time, not the slowest single call', () => {
  const calls = [{ shape: 'rare', ms: 50 }, ...Array.from({ length: 10 }, () => ({ shape: 'frequent', ms: 10 }))];
  assert.deepEqual(dominantShape(calls), { shape: 'frequent', share: 100 / 150 });
  assert.equal(dominantShape([]), undefined);
});
