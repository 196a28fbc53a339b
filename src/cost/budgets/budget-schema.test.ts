import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { budgetsSchema } from './budget-schema.ts';

/** The issues of a failed parse as `path: message` lines. */
const issuesOf = (input: unknown): string[] => {
  const result = budgetsSchema.safeParse(input);
  assert.equal(result.success, false, 'expected the budgets to be rejected');
  return result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
};

describe('budgetsSchema', () => {
  test('an absent section is an empty list, also inside a config object', () => {
    assert.deepEqual(budgetsSchema.parse(undefined), []);
    assert.deepEqual(z.strictObject({ budgets: budgetsSchema }).parse({}), { budgets: [] });
  });

  test('whole-gateway, team, key and model budgets', () => {
    const budgets = [
      { name: 'gateway', monthlyUsd: 5_000 },
      { name: 'research', monthlyUsd: 1_200.5, team: 'research' },
      { name: 'ci bot', monthlyUsd: 50, key: 'vk_AbC-12_xyz' },
      { name: 'gpt', monthlyUsd: 0.01, model: 'gpt-4o' },
    ];
    assert.deepEqual(budgetsSchema.parse(budgets), budgets);
  });

  test('more than one of team, key, model is rejected at the second one', () => {
    assert.deepEqual(issuesOf([{ name: 'mixed', monthlyUsd: 10, team: 'research', model: 'gpt' }]), [
      '0.model: a budget scopes to at most one of team, key, model; got team and model',
    ]);
    assert.equal(issuesOf([{ name: 'all', monthlyUsd: 10, team: 't', key: 'vk_1', model: 'm' }]).length, 1);
  });

  test('names are unique; the duplicate is reported at its own path', () => {
    assert.deepEqual(issuesOf([{ name: 'a', monthlyUsd: 1 }, { name: 'b', monthlyUsd: 1 }, { name: 'a', monthlyUsd: 2 }]), [
      '2.name: duplicate budget name "a" (first used at budgets[0])',
    ]);
    // Names are trimmed first, so " a" and "a" are the same budget.
    assert.equal(issuesOf([{ name: 'a', monthlyUsd: 1 }, { name: ' a ', monthlyUsd: 1 }]).length, 1);
  });

  test('malformed budgets', () => {
    const rejected = (budget: unknown, path: string): void => {
      const issues = issuesOf([budget]);
      assert.ok(issues.some((issue) => issue.startsWith(`${path}:`)), `${JSON.stringify(budget)} → ${issues.join('; ')}`);
    };
    rejected({ name: 'zero', monthlyUsd: 0 }, '0.monthlyUsd');
    rejected({ name: 'negative', monthlyUsd: -5 }, '0.monthlyUsd');
    rejected({ name: 'infinite', monthlyUsd: Infinity }, '0.monthlyUsd');
    rejected({ name: 'text', monthlyUsd: '100' }, '0.monthlyUsd');
    rejected({ name: 'missing' }, '0.monthlyUsd');
    rejected({ name: '  ', monthlyUsd: 1 }, '0.name');
    rejected({ monthlyUsd: 1 }, '0.name');
    rejected({ name: 'not a key id', monthlyUsd: 1, key: 'sk-live-123' }, '0.key');
    rejected({ name: 'empty team', monthlyUsd: 1, team: '' }, '0.team');
    rejected({ name: 'typo', monthlyUsd: 1, modle: 'gpt' }, '0');
    assert.ok(issuesOf({ name: 'not a list', monthlyUsd: 1 }).length > 0);
  });
});
