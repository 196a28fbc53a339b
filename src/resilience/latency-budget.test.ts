import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../core/errors/index.ts';
import { budgetSignal, decideBudget } from './latency-budget.ts';

test('the last target gets whatever is left', () => {
  assert.deepEqual(decideBudget({ remainingMs: 800, expectedMs: 5000, nextExpectedMs: undefined, hasFallback: false }), { type: 'try', allowedMs: 800 });
});

test('a target known to be slower than the budget is skipped when a fallback follows', () => {
  const decision = decideBudget({ remainingMs: 1000, expectedMs: 3000, nextExpectedMs: 200, hasFallback: true });
  assert.equal(decision.type, 'skip');
});

test('a target may use half of what is left, less when the fallback typically needs more, never under a quarter', () => {
  assert.deepEqual(decideBudget({ remainingMs: 1000, expectedMs: 300, nextExpectedMs: 200, hasFallback: true }), { type: 'try', allowedMs: 500 });
  assert.deepEqual(decideBudget({ remainingMs: 1000, expectedMs: 300, nextExpectedMs: 300, hasFallback: true }), { type: 'try', allowedMs: 400 });
  assert.deepEqual(decideBudget({ remainingMs: 1000, expectedMs: 100, nextExpectedMs: 900, hasFallback: true }), { type: 'try', allowedMs: 250 });
  assert.deepEqual(decideBudget({ remainingMs: 1000, expectedMs: undefined, nextExpectedMs: undefined, hasFallback: true }), { type: 'try', allowedMs: 500 });
});

test('a spent budget skips', () => {
  assert.equal(decideBudget({ remainingMs: 0, expectedMs: undefined, nextExpectedMs: undefined, hasFallback: false }).type, 'skip');
});

test('the budget signal aborts with upstream_timeout, follows its parent, and clears', async () => {
  const parent = new AbortController();
  const budget = budgetSignal(parent.signal, 1);
  await new Promise((resolve) => budget.signal.addEventListener('abort', resolve, { once: true }));
  assert.ok(isGatewayError(budget.signal.reason) && budget.signal.reason.code === 'upstream_timeout');

  const followed = budgetSignal(parent.signal, 60_000);
  followed.clear();
  parent.abort(new Error('client left'));
  assert.equal((followed.signal.reason as Error).message, 'client left', 'the parent still aborts it after clear');

  const cleared = budgetSignal(new AbortController().signal, 1);
  cleared.clear();
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(cleared.signal.aborted, false);
});
