/**
 * The per-attempt interceptors, mounted outermost first as
 *
 *   retry → circuit breaker → timeout → provider call
 *
 * - The timeout is innermost, so each try has its own limits and its own abort signal: a slow try is
 *   cut and retried (or falls back) instead of eating the time of the tries after it, and the breaker
 *   sees the timeout as that deployment's failure.
 * - The breaker is inside the retry, so every try asks for admission and records its own outcome.
 *   Consecutive failures then count tries, not requests, and once the circuit opens (after this
 *   request's failures or another process's) the next try is refused with `circuit_open`, which is not
 *   retryable: the retries stop at once and dispatch moves to the next target. With the breaker
 *   outside, retries would keep calling a deployment whose circuit had opened.
 * - The retry is outermost, so its waits happen outside any timeout of a single try and are bounded by
 *   the caller's signal and deadline instead.
 *
 * This is Resilience4j's order, Retry(CircuitBreaker(TimeLimiter(call))); src/gateway/create-reliability.ts
 * composes it, with the queue, deployment limiter and latency tracking in between. A deployment rate limiter
 * belongs between the breaker and the timeout: a refused admission is then not an upstream failure,
 * and its queueing time does not count against the upstream's time to first token.
 */
export { backoffOptionsSchema, createBackoff, type Backoff, type BackoffOptions } from './backoff.ts';
export {
  circuitBreakerOptionsSchema,
  createCircuitBreakerInterceptor,
  type CircuitBreakerDependencies,
  type CircuitBreakerOptions,
  type CircuitBreakerPhase,
  type CircuitBreakerPolicy,
  type CircuitBreakerStore,
  type CircuitStateChange,
} from './circuit-breaker.ts';
export { classifyCircuitOutcome, type CircuitOutcome } from './classify-circuit-outcome.ts';
export { createSleep, systemClock, type Clock, type Sleep } from './clock.ts';
export { dispatchToTargets, type DispatchOptions } from './dispatch-to-targets.ts';
export { createRetryBudget, retryBudgetOptionsSchema, type RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';
export { createRetryInterceptor, retryOptionsSchema, type OnRetry, type RetryDependencies, type RetryOptions } from './retry.ts';
export { createTimeoutInterceptor, timeoutOptionsSchema, type TimeoutDependencies, type TimeoutOptions } from './timeout.ts';
