import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimateWeekdayFactors } from './estimate-weekday-factors.ts';
import { parseUtcDay, utcWeekday } from './utc-calendar.ts';

// 2026-01-04 is a Sunday, so costs[i] falls on weekday i % 7.
const sunday = parseUtcDay('2026-01-04');
const weekdayPattern = [20, 100, 100, 100, 100, 100, 20];
const weeks = (count: number, costOf: (index: number) => number = (index) => weekdayPattern[index % 7] ?? 0): number[] =>
  Array.from({ length: count * 7 }, (_, index) => costOf(index));

const assertClose = (actual: readonly number[], expected: readonly number[], tolerance: number): void => {
  actual.forEach((value, index) => assert.ok(Math.abs(value - (expected[index] ?? Number.NaN)) <= tolerance, `factor ${index}: ${value} vs ${expected[index]}`));
};

describe('estimateWeekdayFactors', () => {
  test('recovers the weekday pattern, scaled to average 1', () => {
    assert.equal(utcWeekday(sunday), 0);
    const estimate = estimateWeekdayFactors(weeks(8), sunday);
    const mean = 540 / 7;
    assertClose(estimate?.factors ?? [], weekdayPattern.map((cost) => cost / mean), 1e-12);
    assert.equal(estimate?.weeks, 8);
  });

  test('reads at most the last 8 weeks, so an old habit fades out', () => {
    // 4 old weeks with a Sunday-heavy pattern, then 8 with the usual one.
    const costs = [...weeks(4, (index) => (index % 7 === 0 ? 500 : 10)), ...weeks(8)];
    assertClose(estimateWeekdayFactors(costs, sunday)?.factors ?? [], weekdayPattern.map((cost) => cost / (540 / 7)), 1e-12);
  });

  test('one odd week (a spike, an outage) does not set the pattern: the median wins', () => {
    const costs = weeks(8, (index) => {
      if (index === 16) return 2_000; // a batch job on the third week's Tuesday
      if (index >= 35 && index < 42) return 0; // a week without traffic
      return weekdayPattern[index % 7] ?? 0;
    });
    const estimate = estimateWeekdayFactors(costs, sunday);
    assertClose(estimate?.factors ?? [], weekdayPattern.map((cost) => cost / (540 / 7)), 1e-12);
    assert.equal(estimate?.weeks, 7, 'the week without spend carries no pattern');
  });

  test('fewer than 14 days or no spend at all: flat (null)', () => {
    assert.equal(estimateWeekdayFactors(weeks(2).slice(1), sunday), null);
    assert.equal(estimateWeekdayFactors(weeks(8, () => 0), sunday), null);
  });

  test('counts back whole weeks from the newest day, whatever weekday the series starts on', () => {
    // 17 days starting on a Wednesday: the first 3 are left out, the last 14 make 2 weeks.
    const wednesday = sunday + 3;
    const costs = Array.from({ length: 17 }, (_, index) => weekdayPattern[utcWeekday(wednesday + index)] ?? 0);
    const estimate = estimateWeekdayFactors(costs, wednesday);
    assert.equal(estimate?.weeks, 2);
    assertClose(estimate?.factors ?? [], weekdayPattern.map((cost) => cost / (540 / 7)), 1e-12);
  });
});
