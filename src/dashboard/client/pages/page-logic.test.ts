import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BudgetBurnDown } from '../api-types.ts';
import type { ChartTheme } from '../charts.ts';
import { budgetStatus, describeBudgetScope } from './budget-panel.ts';
import { dailySpendChart } from './costs-page.ts';
import { keyStatus } from './keys-page.ts';
import { routeScoreChart } from './quality-page.ts';

const theme: ChartTheme = {
  text: '#111111', muted: '#777777', grid: '#eeeeee', surface: '#ffffff', accent: '#4f46e5', accentMuted: '#9a96f0',
  red: '#dc2626', amber: '#d97706', green: '#16a34a', palette: ['#000001', '#000002', '#000003', '#000004', '#000005', '#000006', '#000007', '#000008'], fontFamily: 'system-ui',
};

describe('daily spend chart', () => {
  test('stacks one layer per model, biggest spender first, and folds the rest into "Other" past six', () => {
    const models = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const dailyByModel = ['2026-03-01', '2026-03-02'].flatMap((day) => models.map((group, index) => ({ day, group, costUsd: 80 - index * 10 })));
    const { config, points } = dailySpendChart({ daily: [], dailyByModel }, theme);
    assert.equal(points, 2);
    assert.deepEqual(config.data.datasets.map((dataset) => dataset.label), ['a', 'b', 'c', 'd', 'e', 'Other']);
    assert.deepEqual(config.data.datasets.at(-1)?.data, [30 + 20 + 10, 30 + 20 + 10]);
    assert.deepEqual(config.data.labels, ['Mar 1', 'Mar 2']);
  });

  test('a day with spend but no per-model rows still gets its slot; no model rows at all draws the totals', () => {
    const { config, points } = dailySpendChart({ daily: [{ day: '2026-03-01', costUsd: 5, requests: 9 }, { day: '2026-03-02', costUsd: 7, requests: 12 }], dailyByModel: [] }, theme);
    assert.equal(points, 2);
    assert.deepEqual(config.data.datasets.map((dataset) => [dataset.label, dataset.data]), [['Spend', [5, 7]]]);
  });
});

describe('route score chart', () => {
  test('one line per route over the sorted days, with gaps where a route had no score', () => {
    const { config, points, hasScores } = routeScoreChart([
      { day: '2026-03-02', route: 'b', score: 0.5, samples: 3, feedbackCount: 3 },
      { day: '2026-03-01', route: 'a', score: 0.9, samples: 3, feedbackCount: 3 },
      { day: '2026-03-02', route: 'a', score: null, samples: 0, feedbackCount: 0 },
    ], theme);
    assert.equal(points, 2);
    assert.equal(hasScores, true);
    assert.deepEqual(config.data.datasets.map((dataset) => [dataset.label, dataset.data]), [['a', [0.9, null]], ['b', [null, 0.5]]]);
  });

  test('days without any score are reported as nothing to draw', () => {
    assert.equal(routeScoreChart([{ day: '2026-03-01', route: 'a', score: null, samples: 0, feedbackCount: 0 }], theme).hasScores, false);
    assert.equal(routeScoreChart([], theme).points, 0);
  });
});

describe('key status', () => {
  const now = Date.UTC(2026, 2, 10);
  test('revoked beats expired, expired beats active, and a key expiring later is active', () => {
    assert.equal(keyStatus({ revokedAt: now - 1, expiresAt: now - 1 }, now), 'revoked');
    assert.equal(keyStatus({ revokedAt: null, expiresAt: now }, now), 'expired');
    assert.equal(keyStatus({ revokedAt: null, expiresAt: now + 1 }, now), 'active');
    assert.equal(keyStatus({ revokedAt: null, expiresAt: null }, now), 'active');
  });
});

const budget = (overrides: Partial<BudgetBurnDown>): BudgetBurnDown => ({
  name: 'Engineering', scope: { team: 'engineering' }, monthlyUsd: 1000, spentUsd: 400, remainingUsd: 600, forecastUsd: 900,
  lowUsd: 850, highUsd: 950, projectedExhaustionDay: null, daily: [], ...overrides,
});

describe('budget status', () => {
  test('exhausted, running out, at risk at the high forecast, or on track', () => {
    assert.deepEqual(budgetStatus(budget({ spentUsd: 1000 })), { text: 'Exhausted', tone: 'bad' });
    assert.deepEqual(budgetStatus(budget({ forecastUsd: 1200, projectedExhaustionDay: '2026-03-24' })), { text: 'Runs out Mar 24', tone: 'bad' });
    assert.deepEqual(budgetStatus(budget({ highUsd: 1100 })), { text: 'At risk', tone: 'warning' });
    assert.deepEqual(budgetStatus(budget({})), { text: 'On track', tone: 'good' });
  });

  test('the scope reads as words, and a budget without one covers all traffic', () => {
    assert.equal(describeBudgetScope({ team: 'research', model: 'gpt-4o' }), 'team research, model gpt-4o');
    assert.equal(describeBudgetScope({}), 'all traffic');
  });
});
