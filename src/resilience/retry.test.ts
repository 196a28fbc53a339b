import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, type ErrorCode } from '../core/errors/index.ts';
import type { AttemptCall, AttemptFunction, AttemptOutput } from '../core/pipeline/call-interceptor.ts';
import { createSleep, type Sleep } from './clock.ts';
import { createRetryBudget, retryBudgetOptionsSchema } from './retry-budget.ts';
import { createRetryInterceptor, retryOptionsSchema, type RetryDependencies } from './retry.ts';
import { attemptCall, collect, createEventChannel, finishEvent, resultOutput, startEvent, streamOf, textEvent } from './testing/attempt-fixtures.ts';
import { createManualClock, flushPromises } from './testing/manual-clock.ts';

const upstream = (code: ErrorCode, retryAfterSeconds?: number): GatewayError =>
  new GatewayError(code, `upstream said ${code}`, retryAfterSeconds === undefined ? {} : { retryAfterSeconds });

/** An attempt that plays the given outcomes in order, counting its calls. */
const scripted = (outcomes: ReadonlyArray<AttemptOutput | Error>): AttemptFunction & { calls: AttemptCall[] } => {
  const calls: AttemptCall[] = [];
  const attempt = async (call: AttemptCall): Promise<AttemptOutput> => {
    const outcome = outcomes[calls.length] ?? outcomes.at(-1);
    calls.push(call);
    if (outcome === undefined || outcome instanceof Error) throw outcome ?? new Error('no outcome');
    return outcome;
  };
  return Object.assign(attempt, { calls });
};

interface Harness {
  waits: number[];
  retries: Array<{ code: string; delayMs: number; attempt: number }>;
  dependencies: RetryDependencies;
}

/** Waits are recorded, not slept; the jitter draws its maximum. */
const harness = (overrides: RetryDependencies = {}): Harness => {
  const waits: number[] = [];
  const retries: Harness['retries'] = [];
  const sleep: Sleep = async (ms) => {
    waits.push(ms);
  };
  const dependencies: RetryDependencies = {
    clock: { now: () => 1_000_000, setTimer: () => () => undefined },
    sleep,
    random: () => 0.999_999,
    onRetry: (_call, error, delayMs, attempt) => retries.push({ code: error.code, delayMs, attempt }),
    ...overrides,
  };
  return { waits, retries, dependencies };
};

const options = retryOptionsSchema.parse({ maxAttempts: 3, backoff: { baseMs: 100, maxMs: 1_000 } });

test('retries a retryable error and returns the answer of the try that succeeds', async () => {
  const { dependencies, retries, waits } = harness();
  const attempt = scripted([upstream('upstream_server_error'), upstream('upstream_overloaded'), resultOutput]);
  const call = attemptCall();
  assert.equal(await createRetryInterceptor(options, dependencies)(attempt)(call), resultOutput);
  assert.equal(attempt.calls.length, 3);
  assert.equal(attempt.calls[2], call);
  assert.deepEqual(retries, [
    { code: 'upstream_server_error', delayMs: 99, attempt: 2 },
    { code: 'upstream_overloaded', delayMs: 199, attempt: 3 },
  ]);
  assert.deepEqual(waits, [99, 199]);
});

test('does not retry errors the catalog marks as not retryable, nor anything that is not a GatewayError', async () => {
  for (const error of [upstream('upstream_bad_request'), upstream('upstream_context_length_exceeded'), upstream('circuit_open'), new TypeError('bug')]) {
    const { dependencies, retries } = harness();
    const attempt = scripted([error, resultOutput]);
    await assert.rejects(createRetryInterceptor(options, dependencies)(attempt)(attemptCall()), (thrown) => thrown === error);
    assert.equal(attempt.calls.length, 1, String(error));
    assert.deepEqual(retries, []);
  }
});

test('gives up after maxAttempts tries and rethrows the last error unchanged, so dispatch can fall back', async () => {
  const { dependencies } = harness();
  const last = upstream('upstream_timeout');
  const attempt = scripted([upstream('upstream_server_error'), upstream('upstream_server_error'), last, resultOutput]);
  await assert.rejects(createRetryInterceptor(options, dependencies)(attempt)(attemptCall()), (thrown) => thrown === last);
  assert.equal(attempt.calls.length, 3);
});

test('maxAttempts 1 never retries', async () => {
  const { dependencies } = harness();
  const attempt = scripted([upstream('upstream_server_error'), resultOutput]);
  await assert.rejects(createRetryInterceptor(retryOptionsSchema.parse({ maxAttempts: 1 }), dependencies)(attempt)(attemptCall()));
  assert.equal(attempt.calls.length, 1);
});

test('waits for Retry-After when it is longer than the backoff', async () => {
  const { dependencies, waits } = harness();
  const attempt = scripted([upstream('upstream_rate_limited', 3), upstream('upstream_rate_limited', 0.05), resultOutput]);
  await createRetryInterceptor(options, dependencies)(attempt)(attemptCall());
  assert.deepEqual(waits, [3_000, 199]);
});

test('does not wait for a Retry-After beyond maxRetryAfterSeconds: the error goes to the next target at once', async () => {
  const { dependencies, waits } = harness();
  const error = upstream('upstream_rate_limited', 30);
  const attempt = scripted([error, resultOutput]);
  await assert.rejects(createRetryInterceptor({ ...options, maxRetryAfterSeconds: 10 }, dependencies)(attempt)(attemptCall()), (thrown) => thrown === error);
  assert.equal(attempt.calls.length, 1);
  assert.deepEqual(waits, []);
});

test('does not start a wait that would end past the deadline', async () => {
  const { dependencies, waits } = harness({ deadline: () => 1_000_000 + 2_000 });
  const error = upstream('upstream_rate_limited', 5);
  const attempt = scripted([error, resultOutput]);
  await assert.rejects(createRetryInterceptor(options, dependencies)(attempt)(attemptCall()), (thrown) => thrown === error);
  assert.deepEqual(waits, []);
});

test('never retries a stream once it has started: later failures arrive as events', async () => {
  const { dependencies, retries } = harness();
  const channel = createEventChannel([startEvent, textEvent('Hel')]);
  const attempt = scripted([{ type: 'stream', events: channel }, resultOutput]);
  const output = await createRetryInterceptor(options, dependencies)(attempt)(attemptCall({ stream: true }));
  channel.push({ type: 'error', code: 'upstream_stream_interrupted', message: 'connection reset' });
  channel.end();
  const events = await collect(streamOf(output));
  assert.deepEqual(events.at(-1), { type: 'error', code: 'upstream_stream_interrupted', message: 'connection reset' });
  assert.equal(attempt.calls.length, 1);
  assert.deepEqual(retries, []);
});

test('a stream that fails before its first event is retried like any attempt', async () => {
  const { dependencies } = harness();
  const stream: AttemptOutput = { type: 'stream', events: createEventChannel([startEvent, finishEvent]) };
  const attempt = scripted([upstream('upstream_connection_failed'), stream]);
  const output = await createRetryInterceptor(options, dependencies)(attempt)(attemptCall({ stream: true }));
  assert.equal(output, stream);
  assert.equal(attempt.calls.length, 2);
});

test('an abort during the wait stops it at once and rethrows the upstream error', async () => {
  const clock = createManualClock();
  const controller = new AbortController();
  const error = upstream('upstream_server_error');
  const attempt = scripted([error, resultOutput]);
  const interceptor = createRetryInterceptor(options, { clock, sleep: createSleep(clock), random: () => 0.999_999 });
  const pending = interceptor(attempt)(attemptCall({ signal: controller.signal }));
  await flushPromises();
  assert.equal(clock.pendingTimers(), 1);
  controller.abort(new Error('client went away'));
  await assert.rejects(pending, (thrown) => thrown === error);
  assert.equal(clock.pendingTimers(), 0);
  assert.equal(attempt.calls.length, 1);
});

test('a caller that has already gone is not retried for', async () => {
  const { dependencies, waits } = harness();
  const controller = new AbortController();
  controller.abort();
  const attempt = scripted([upstream('upstream_server_error'), resultOutput]);
  await assert.rejects(createRetryInterceptor(options, dependencies)(attempt)(attemptCall({ signal: controller.signal })));
  assert.equal(attempt.calls.length, 1);
  assert.deepEqual(waits, []);
});

test('the budget caps retries: 1000 requests against a dead upstream retry at most 20% + the minimum', async () => {
  const budget = createRetryBudget(retryBudgetOptionsSchema.parse({ ratio: 0.2, minimumRetries: 10 }));
  const { dependencies, retries } = harness({ budget });
  const interceptor = createRetryInterceptor(options, dependencies);
  const attempt = scripted([upstream('upstream_server_error')]);
  for (let request = 0; request < 1_000; request += 1) await assert.rejects(interceptor(attempt)(attemptCall()));
  assert.ok(retries.length <= 0.2 * 1_000 + 10, `${retries.length} retries`);
  // Without the budget the same traffic would have retried 2000 times; with it, the share is used, not refused outright.
  assert.ok(retries.length >= 0.2 * 1_000, `${retries.length} retries`);
  assert.equal(attempt.calls.length, 1_000 + retries.length);
});

test('one budget shared by two interceptors caps them together', async () => {
  const budget = createRetryBudget(retryBudgetOptionsSchema.parse({ ratio: 0, minimumRetries: 2 }));
  const { dependencies, retries } = harness({ budget });
  const first = createRetryInterceptor(options, dependencies)(scripted([upstream('upstream_server_error')]));
  const second = createRetryInterceptor(options, dependencies)(scripted([upstream('upstream_server_error')]));
  await assert.rejects(first(attemptCall()));
  await assert.rejects(second(attemptCall()));
  assert.equal(retries.length, 2);
});

test('options: defaults, and rejects malformed values', () => {
  const defaults = retryOptionsSchema.parse({});
  assert.equal(defaults.maxAttempts, 3);
  assert.equal(defaults.maxRetryAfterSeconds, 10);
  assert.deepEqual(defaults.backoff, { baseMs: 250, maxMs: 8_000 });
  assert.deepEqual(defaults.budget, { ratio: 0.2, minimumRetries: 10, windowMs: 10_000 });
  assert.equal(retryOptionsSchema.safeParse({ maxAttempts: 0 }).success, false);
  assert.equal(retryOptionsSchema.safeParse({ maxAttempts: 2.5 }).success, false);
  assert.equal(retryOptionsSchema.safeParse({ maxRetryAfterSeconds: -1 }).success, false);
  assert.equal(retryOptionsSchema.safeParse({ budget: { ratio: 2 } }).success, false);
  assert.equal(retryOptionsSchema.safeParse({ retries: 3 }).success, false);
});
