import { GatewayError } from '../core/errors/index.ts';

/** How much of a request's latency budget one target may use, or why it should be skipped. */
export type BudgetDecision = { type: 'skip'; reason: string } | { type: 'try'; allowedMs: number };

export interface BudgetInputs {
  /** Budget left for the request, ms. */
  remainingMs: number;
  /** The target's typical latency (moving average), when known. */
  expectedMs: number | undefined;
  /** The typical latency of the next target, when there is one and it is known. */
  nextExpectedMs: number | undefined;
  hasFallback: boolean;
}

/**
 * Splits a latency budget between a target and its fallback. A target known to be slower than what is
 * left is skipped when another follows; otherwise it may use half of what is left, or less when the
 * next target typically needs more than the other half (twice its average, to allow for a slow
 * moment), so a slow primary is cut while the fallback can still answer in time. The last target gets
 * all that remains.
 */
export const decideBudget = ({ remainingMs, expectedMs, nextExpectedMs, hasFallback }: BudgetInputs): BudgetDecision => {
  if (remainingMs <= 0) return { type: 'skip', reason: 'the latency budget is spent' };
  if (!hasFallback) return { type: 'try', allowedMs: remainingMs };
  if (expectedMs !== undefined && expectedMs > remainingMs) {
    return { type: 'skip', reason: `typically takes ${Math.round(expectedMs)} ms, more than the ${Math.round(remainingMs)} ms left` };
  }
  const reserve = Math.max(remainingMs / 2, 2 * (nextExpectedMs ?? 0));
  return { type: 'try', allowedMs: Math.max(remainingMs / 4, remainingMs - reserve) };
};

/**
 * A signal that aborts with `upstream_timeout` after `ms` (or when `parent` aborts, with its reason), so
 * the provider call is cancelled and dispatch falls back. `clear` stops the timer: call it once the
 * budgeted part is over (a result, or a stream's first event); the parent still aborts it afterwards.
 */
export const budgetSignal = (parent: AbortSignal, ms: number): { signal: AbortSignal; clear: () => void } => {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new GatewayError('upstream_timeout', `No answer within the request's latency budget (${Math.round(ms)} ms for this target).`)),
    ms,
  );
  timer.unref();
  const onParentAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) onParentAbort();
  else parent.addEventListener('abort', onParentAbort, { once: true });
  // `clear` stops only the timer: the signal keeps following its parent, so a caller who leaves later
  // still cancels a stream that started within the budget.
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
};
