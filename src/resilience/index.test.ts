import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, isGatewayError } from '../core/errors/index.ts';
import { composeInterceptors, type AttemptFunction, type AttemptOutput, type CallInterceptor } from '../core/pipeline/call-interceptor.ts';
import {
  circuitBreakerOptionsSchema,
  createCircuitBreakerInterceptor,
  createRetryInterceptor,
  createTimeoutInterceptor,
  retryOptionsSchema,
  timeoutOptionsSchema,
  type CircuitBreakerStore,
} from './index.ts';
import { attemptCall, resultOutput } from './testing/attempt-fixtures.ts';
import { createManualClock } from './testing/manual-clock.ts';

/** A counting breaker store: consecutive failures only, enough to see what the breaker records per try. */
const countingStore = (threshold: number) => {
  const recorded: string[] = [];
  let consecutive = 0;
  const store: CircuitBreakerStore = {
    admit: async () => consecutive < threshold,
    async record(_deployment, outcome) {
      recorded.push(outcome);
      consecutive = outcome === 'failure' ? consecutive + 1 : 0;
      return { phase: consecutive >= threshold ? 'open' : 'closed' };
    },
  };
  return { store, recorded };
};

const stack = (threshold: number) => {
  const clock = createManualClock();
  const { store, recorded } = countingStore(threshold);
  const retries: number[] = [];
  // The production order (src/gateway/create-reliability.ts): retry → circuit breaker → timeout.
  const interceptors: CallInterceptor[] = [
    createRetryInterceptor(retryOptionsSchema.parse({ maxAttempts: 5 }), { clock, sleep: async () => undefined, onRetry: (_call, _error, _delay, attempt) => retries.push(attempt) }),
    createCircuitBreakerInterceptor(circuitBreakerOptionsSchema.parse({}), { store, clock }),
    createTimeoutInterceptor(timeoutOptionsSchema.parse({ firstTokenMs: 1_000, totalMs: 5_000 }), { clock }),
  ];
  return { clock, recorded, retries, compose: (attempt: AttemptFunction) => composeInterceptors(interceptors, attempt) };
};

test('the breaker sees every try, and once it opens the retries stop and the attempt falls back with circuit_open', async () => {
  const { recorded, retries, compose } = stack(2);
  let calls = 0;
  const failing: AttemptFunction = async () => {
    calls += 1;
    throw new GatewayError('upstream_server_error', 'boom');
  };
  await assert.rejects(compose(failing)(attemptCall()), (thrown) => isGatewayError(thrown) && thrown.code === 'circuit_open' && thrown.spec.fallback);
  assert.equal(calls, 2, 'two tries reached the deployment; the third was refused by the open circuit');
  assert.deepEqual(recorded, ['failure', 'failure']);
  assert.deepEqual(retries, [2, 3]);
});

test('each try has its own time limit: a hung try times out, counts against the deployment, and the retry succeeds', async () => {
  const { clock, recorded, compose } = stack(5);
  const signals: AbortSignal[] = [];
  const hangsOnce: AttemptFunction = (call) => {
    signals.push(call.signal);
    return signals.length === 1 ? new Promise<AttemptOutput>(() => undefined) : Promise.resolve(resultOutput);
  };
  const pending = compose(hangsOnce)(attemptCall({ stream: true }));
  await clock.advance(1_000);
  assert.equal(await pending, resultOutput);
  assert.equal(signals.length, 2);
  assert.equal(signals[0]?.aborted, true, 'the hung try was cancelled');
  assert.equal(signals[1]?.aborted, false, 'the retry got a fresh signal');
  await clock.advance(0);
  assert.deepEqual(recorded, ['failure', 'success']);
});
