import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inverseNormalCdf } from './inverse-normal-cdf.ts';

const close = (actual: number, expected: number, tolerance = 1e-6): void => {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);
};

describe('inverseNormalCdf', () => {
  test('matches the textbook quantiles', () => {
    close(inverseNormalCdf(0.5), 0);
    close(inverseNormalCdf(0.9), 1.2815516);
    close(inverseNormalCdf(0.95), 1.6448536);
    close(inverseNormalCdf(0.975), 1.959964);
    close(inverseNormalCdf(0.995), 2.5758293);
  });

  test('tails, on both sides of the break points, are symmetric', () => {
    close(inverseNormalCdf(0.001), -3.0902323);
    close(inverseNormalCdf(0.02), -2.0537489);
    close(inverseNormalCdf(0.03), -1.8807936);
    for (const probability of [1e-6, 0.01, 0.02425, 0.1, 0.3]) close(inverseNormalCdf(1 - probability), -inverseNormalCdf(probability), 1e-9);
  });

  test('0, 1, NaN and values outside (0, 1) are RangeErrors', () => {
    for (const probability of [0, 1, -0.1, 1.5, Number.NaN, Infinity]) {
      assert.throws(() => inverseNormalCdf(probability), RangeError);
    }
  });
});
