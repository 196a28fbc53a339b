import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linearSlope, median, quantile, spread } from './stats.ts';

test('quantile interpolates between the nearest ranks of unsorted values', () => {
  assert.equal(quantile([4, 1, 3, 2], 0.5), 2.5);
  assert.equal(quantile([10, 20, 30, 40, 50], 0.99), 49.6);
  assert.equal(quantile([7], 0.99), 7);
});

test('quantile of nothing is NaN rather than a made-up zero', () => {
  assert.ok(Number.isNaN(quantile([], 0.5)));
  assert.ok(Number.isNaN(median([])));
});

test('quantile does not reorder the caller array', () => {
  const values = [3, 1, 2];
  quantile(values, 0.5);
  assert.deepEqual(values, [3, 1, 2]);
});

test('spread reports the median and the range of per-round values', () => {
  assert.deepEqual(spread([1.5, 0.5, 1]), { median: 1, min: 0.5, max: 1.5 });
});

test('linearSlope fits a least-squares line', () => {
  assert.equal(linearSlope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }]), 2);
  assert.equal(linearSlope([{ x: 0, y: 5 }, { x: 1, y: 5 }, { x: 2, y: 5 }]), 0);
});

test('linearSlope is 0 when there is no spread of x to fit', () => {
  assert.equal(linearSlope([]), 0);
  assert.equal(linearSlope([{ x: 1, y: 1 }]), 0);
  assert.equal(linearSlope([{ x: 1, y: 1 }, { x: 1, y: 9 }]), 0);
});
