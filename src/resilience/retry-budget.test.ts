import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRetryBudget, retryBudgetOptionsSchema } from './retry-budget.ts';

const now = 1_700_000_000_000;

const withdrawUntilRefused = (budget: ReturnType<typeof createRetryBudget>, at: number): number => {
  let granted = 0;
  while (budget.tryWithdraw(at)) granted += 1;
  return granted;
};

test('a quiet process may still make the minimum number of retries, and no more', () => {
  const budget = createRetryBudget(retryBudgetOptionsSchema.parse({ minimumRetries: 3 }));
  assert.equal(withdrawUntilRefused(budget, now), 3);
});

test('retries are capped at ratio × requests + minimum over the window', () => {
  const budget = createRetryBudget(retryBudgetOptionsSchema.parse({ ratio: 0.2, minimumRetries: 10 }));
  for (let request = 0; request < 1_000; request += 1) budget.recordRequest(now + request);
  assert.equal(withdrawUntilRefused(budget, now + 1_000), 210);
});

test('the window slides: requests and retries older than windowMs stop counting', () => {
  const budget = createRetryBudget(retryBudgetOptionsSchema.parse({ ratio: 0.5, minimumRetries: 0, windowMs: 10_000 }));
  for (let request = 0; request < 10; request += 1) budget.recordRequest(now);
  assert.equal(withdrawUntilRefused(budget, now), 5);
  // Half the window later everything still counts.
  assert.equal(budget.tryWithdraw(now + 5_000), false);
  // A full window later the old requests are gone, and so is their share of retries.
  assert.equal(budget.tryWithdraw(now + 10_000), false);
  for (let request = 0; request < 4; request += 1) budget.recordRequest(now + 10_000);
  assert.equal(withdrawUntilRefused(budget, now + 10_000), 2);
});

test('a ratio of 0 and no minimum means no retries at all', () => {
  const budget = createRetryBudget(retryBudgetOptionsSchema.parse({ ratio: 0, minimumRetries: 0 }));
  budget.recordRequest(now);
  assert.equal(budget.tryWithdraw(now), false);
});

test('options: defaults, and rejects ratios outside 0..1 and unknown fields', () => {
  assert.deepEqual(retryBudgetOptionsSchema.parse({}), { ratio: 0.2, minimumRetries: 10, windowMs: 10_000 });
  assert.equal(retryBudgetOptionsSchema.safeParse({ ratio: 1.5 }).success, false);
  assert.equal(retryBudgetOptionsSchema.safeParse({ ratio: -0.1 }).success, false);
  assert.equal(retryBudgetOptionsSchema.safeParse({ windowMs: 0 }).success, false);
  assert.equal(retryBudgetOptionsSchema.safeParse({ percent: 20 }).success, false);
});
