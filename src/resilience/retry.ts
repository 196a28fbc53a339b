import { z } from 'zod';
import { isGatewayError, type GatewayError } from '../core/errors/index.ts';
import type { AttemptCall, CallInterceptor } from '../core/pipeline/call-interceptor.ts';
import { backoffOptionsSchema, createBackoff } from './backoff.ts';
import { createSleep, systemClock, type Clock, type Sleep } from './clock.ts';
import { createRetryBudget, retryBudgetOptionsSchema, type RetryBudget } from './retry-budget.ts';

export const retryOptionsSchema = z.strictObject({
  /** Tries of one target, the first included: 1 turns retries off. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  backoff: backoffOptionsSchema.prefault({}),
  /**
   * A provider asking to wait longer than this (Retry-After, reset headers) is not waited for: the
   * error goes to the next target at once, which beats a caller waiting a minute.
   */
  maxRetryAfterSeconds: z.number().nonnegative().default(10),
  /** Used only when no budget is injected. */
  budget: retryBudgetOptionsSchema.prefault({}),
});

export type RetryOptions = z.infer<typeof retryOptionsSchema>;

/** Reports a retry about to happen: `attempt` is the number of the try that follows the wait (2 for the first retry). */
export type OnRetry = (call: AttemptCall, error: GatewayError, delayMs: number, attempt: number) => void;

export interface RetryDependencies {
  clock?: Clock;
  /** Defaults to a timer on `clock`. */
  sleep?: Sleep;
  /** [0, 1), for the backoff's jitter. */
  random?: () => number;
  /** The process-wide budget. Pass one instance to every retry interceptor, so the cap holds for the process. */
  budget?: RetryBudget;
  /** Epoch ms by which the attempt must be over (a latency budget); no retry is started that would wait past it. */
  deadline?: (call: AttemptCall) => number | undefined;
  onRetry?: OnRetry;
}

/**
 * Retries one target while its error's catalog entry says `retryable`. It never retries a stream
 * that has started: the attempt resolving is the first event having arrived, and what fails after
 * that arrives as an `error` event, never as a throw. When it gives up it rethrows the last error
 * unchanged, so dispatch can fall back to the next target.
 */
export const createRetryInterceptor = (options: RetryOptions, dependencies: RetryDependencies = {}): CallInterceptor => {
  const clock = dependencies.clock ?? systemClock;
  const sleep = dependencies.sleep ?? createSleep(clock);
  const backoff = createBackoff(options.backoff, dependencies.random);
  const budget = dependencies.budget ?? createRetryBudget(options.budget);
  const maxRetryAfterMs = options.maxRetryAfterSeconds * 1000;

  /** The wait before the next try, or undefined to give up. The budget is asked last: a withdrawal is a retry. */
  const delayBeforeRetry = (thrown: unknown, call: AttemptCall, attempt: number): number | undefined => {
    if (!isGatewayError(thrown) || !thrown.spec.retryable) return undefined;
    if (attempt >= options.maxAttempts || call.signal.aborted) return undefined;
    const retryAfterMs = (thrown.retryAfterSeconds ?? 0) * 1000;
    if (retryAfterMs > maxRetryAfterMs) return undefined;
    const delayMs = Math.max(backoff(attempt - 1), Math.ceil(retryAfterMs));
    const deadline = dependencies.deadline?.(call);
    const now = clock.now();
    if (deadline !== undefined && now + delayMs >= deadline) return undefined;
    return budget.tryWithdraw(now) ? delayMs : undefined;
  };

  return (next) =>
    async function retryAttempt(call) {
      // The budget is a share of client requests: a request's later targets are not new traffic.
      if ((call.targetIndex ?? 0) === 0) budget.recordRequest(clock.now());
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await next(call);
        } catch (thrown) {
          const delayMs = delayBeforeRetry(thrown, call, attempt);
          if (delayMs === undefined || !isGatewayError(thrown)) throw thrown;
          dependencies.onRetry?.(call, thrown, delayMs, attempt + 1);
          try {
            await sleep(delayMs, call.signal);
          } catch {
            // Aborted while waiting: the caller left or an outer deadline fired. The upstream error says more than the abort.
            throw thrown;
          }
        }
      }
    };
};
