import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DailySpend } from '../forecast/forecast-spend.ts';
import { forecastSpend } from '../forecast/forecast-spend.ts';
import { burnDownBudget } from './burn-down-budget.ts';

const dayMs = 86_400_000;
const now = Date.UTC(2026, 2, 10, 12); // 2026-03-10 (March has 31 days), half the day gone

/** $10 a day for the 40 days before today, and $5 so far today. */
const tenADay: DailySpend[] = [
  ...Array.from({ length: 40 }, (_, index) => ({ day: new Date(now - (40 - index) * dayMs).toISOString().slice(0, 10), costUsd: 10 })),
  { day: '2026-03-10', costUsd: 5 },
];

const exhaustionAt = (monthlyUsd: number): string | null => burnDownBudget({ budget: { name: 'b', monthlyUsd }, dailySpend: tenADay, now }).projectedExhaustionDay;

describe('burnDownBudget', () => {
  const burnDown = burnDownBudget({ budget: { name: 'gateway', monthlyUsd: 300 }, dailySpend: tenADay, now });

  test('spent, remaining and the forecast are this month’s, as forecastSpend gives them', () => {
    const forecast = forecastSpend({ dailySpend: tenADay, now });
    assert.equal(burnDown.name, 'gateway');
    assert.deepEqual(burnDown.scope, {});
    assert.equal(burnDown.monthlyUsd, 300);
    assert.equal(burnDown.spentUsd, 95);
    assert.equal(burnDown.remainingUsd, 205);
    assert.equal(burnDown.forecastUsd, 310);
    assert.deepEqual([burnDown.forecastUsd, burnDown.lowUsd, burnDown.highUsd], [forecast.forecastUsd, forecast.lowUsd, forecast.highUsd]);
  });

  test('one entry per day of the month: actual up to today, forecast from today, the ideal straight line', () => {
    assert.equal(burnDown.daily.length, 31);
    assert.deepEqual(burnDown.daily[0], { day: '2026-03-01', cumulativeUsd: 10, idealUsd: 9.68, forecastCumulativeUsd: null });
    assert.deepEqual(burnDown.daily[8], { day: '2026-03-09', cumulativeUsd: 90, idealUsd: 87.1, forecastCumulativeUsd: null });
    // Today: $95 spent so far, $5 more expected by midnight.
    assert.deepEqual(burnDown.daily[9], { day: '2026-03-10', cumulativeUsd: 95, idealUsd: 96.77, forecastCumulativeUsd: 100 });
    assert.deepEqual(burnDown.daily[10], { day: '2026-03-11', cumulativeUsd: null, idealUsd: 106.45, forecastCumulativeUsd: 110 });
    assert.deepEqual(burnDown.daily[30], { day: '2026-03-31', cumulativeUsd: null, idealUsd: 300, forecastCumulativeUsd: 310 });
    assert.equal(burnDown.daily.at(-1)?.forecastCumulativeUsd, burnDown.forecastUsd);
  });

  test('the exhaustion day is the first day the expected path reaches the budget', () => {
    assert.equal(burnDown.projectedExhaustionDay, '2026-03-30'); // $300 by the end of the 30th
    assert.equal(exhaustionAt(300.01), '2026-03-31');
    assert.equal(exhaustionAt(310), '2026-03-31');
    assert.equal(exhaustionAt(310.01), null, 'never reached this month');
    assert.equal(exhaustionAt(97), '2026-03-10', 'today, once the rest of today is spent');
    assert.equal(exhaustionAt(100), '2026-03-10');
    assert.equal(exhaustionAt(100.01), '2026-03-11');
  });

  test('an exhausted budget: remaining is negative, the exhaustion day is the past day it ran out', () => {
    const exhausted = burnDownBudget({ budget: { name: 'small', monthlyUsd: 50 }, dailySpend: tenADay, now });
    assert.equal(exhausted.spentUsd, 95);
    assert.equal(exhausted.remainingUsd, -45);
    assert.equal(exhausted.projectedExhaustionDay, '2026-03-05');
    assert.equal(exhausted.forecastUsd, 310, 'spend goes on after the budget is gone');
  });

  test('a budget with no spend: nothing spent, nothing forecast, never exhausted', () => {
    const idle = burnDownBudget({ budget: { name: 'idle', monthlyUsd: 100, model: 'gpt' }, dailySpend: [], now });
    assert.deepEqual(
      { ...idle, daily: undefined },
      { name: 'idle', scope: { model: 'gpt' }, monthlyUsd: 100, spentUsd: 0, remainingUsd: 100, forecastUsd: 0, lowUsd: 0, highUsd: 0, projectedExhaustionDay: null, daily: undefined },
    );
    assert.deepEqual(idle.daily[9], { day: '2026-03-10', cumulativeUsd: 0, idealUsd: 32.26, forecastCumulativeUsd: 0 });
    assert.deepEqual(idle.daily[10], { day: '2026-03-11', cumulativeUsd: null, idealUsd: 35.48, forecastCumulativeUsd: 0 });
  });

  test('spend from earlier months only: nothing spent yet, but the forecast uses it', () => {
    const february: DailySpend[] = Array.from({ length: 28 }, (_, index) => ({ day: `2026-02-${String(index + 1).padStart(2, '0')}`, costUsd: 10 }));
    const earlyMarch = burnDownBudget({ budget: { name: 'team', monthlyUsd: 200, team: 'research' }, dailySpend: february, now: Date.UTC(2026, 2, 1) });
    assert.deepEqual(earlyMarch.scope, { team: 'research' });
    assert.equal(earlyMarch.spentUsd, 0);
    assert.equal(earlyMarch.forecastUsd, 310);
    assert.deepEqual(earlyMarch.daily[0], { day: '2026-03-01', cumulativeUsd: 0, idealUsd: 6.45, forecastCumulativeUsd: 10 });
    assert.equal(earlyMarch.projectedExhaustionDay, '2026-03-20');
  });

  test('scope echoes the key; February of a leap year has 29 entries ending at the budget', () => {
    const leap = burnDownBudget({ budget: { name: 'ci', monthlyUsd: 29, key: 'vk_ci' }, dailySpend: [], now: Date.UTC(2028, 1, 3) });
    assert.deepEqual(leap.scope, { key: 'vk_ci' });
    assert.equal(leap.daily.length, 29);
    assert.deepEqual(leap.daily.map((day) => day.idealUsd).slice(0, 3), [1, 2, 3]);
    assert.equal(leap.daily.at(-1)?.day, '2028-02-29');
    assert.equal(leap.daily.at(-1)?.idealUsd, 29);
  });

  test('malformed spend, now or confidence is a RangeError', () => {
    const budget = { name: 'b', monthlyUsd: 1 };
    assert.throws(() => burnDownBudget({ budget, dailySpend: [{ day: '2026-03-01', costUsd: -2 }], now }), /RangeError: dailySpend\[0\]\.costUsd/);
    assert.throws(() => burnDownBudget({ budget, dailySpend: [{ day: '03/01/2026', costUsd: 2 }], now }), RangeError);
    assert.throws(() => burnDownBudget({ budget, dailySpend: [], now: Number.NaN }), RangeError);
    assert.throws(() => burnDownBudget({ budget, dailySpend: [], now, confidence: 2 }), RangeError);
  });
});
