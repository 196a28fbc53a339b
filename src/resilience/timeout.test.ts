import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, isGatewayError } from '../core/errors/index.ts';
import type { AttemptCall, AttemptFunction, AttemptOutput } from '../core/pipeline/call-interceptor.ts';
import type { StreamEvent } from '../core/model/index.ts';
import { attemptCall, collect, createEventChannel, finishEvent, resultOutput, startEvent, streamOf, textEvent } from './testing/attempt-fixtures.ts';
import { createManualClock, flushPromises } from './testing/manual-clock.ts';
import { createTimeoutInterceptor, timeoutOptionsSchema } from './timeout.ts';

const options = timeoutOptionsSchema.parse({ firstTokenMs: 1_000, idleMs: 500, totalMs: 10_000 });

/** An attempt the test settles by hand; it keeps the call it was given, to check the signal. */
const controllable = (): { attempt: AttemptFunction; calls: AttemptCall[]; settle: PromiseWithResolvers<AttemptOutput> } => {
  const settle = Promise.withResolvers<AttemptOutput>();
  const calls: AttemptCall[] = [];
  return {
    settle,
    calls,
    attempt: (call) => {
      calls.push(call);
      return settle.promise;
    },
  };
};

const isTimeout = (pattern: RegExp) => (thrown: unknown) => isGatewayError(thrown) && thrown.code === 'upstream_timeout' && pattern.test(thrown.message);

test('a stream whose first event does not arrive within firstTokenMs fails with upstream_timeout and its upstream is aborted', async () => {
  const clock = createManualClock();
  const { attempt, calls } = controllable();
  const caller = new AbortController();
  const pending = createTimeoutInterceptor(options, { clock })(attempt)(attemptCall({ stream: true, signal: caller.signal }));
  const rejected = assert.rejects(pending, isTimeout(/No first token from openai\/gpt-4o within 1000 ms/));
  await clock.advance(999);
  assert.equal(calls[0]?.signal.aborted, false);
  await clock.advance(1);
  await rejected;
  const signal = calls[0]?.signal;
  assert.equal(signal?.aborted, true);
  assert.ok(isGatewayError(signal?.reason) && signal.reason.code === 'upstream_timeout', 'the provider sees the timeout as the abort reason');
  assert.equal(caller.signal.aborted, false, "the caller's own signal is left alone");
});

test('a stream that starts after its attempt timed out is closed, not leaked', async () => {
  const clock = createManualClock();
  const { attempt, settle } = controllable();
  const pending = createTimeoutInterceptor(options, { clock })(attempt)(attemptCall({ stream: true }));
  const rejected = assert.rejects(pending, isTimeout(/first token/));
  await clock.advance(1_000);
  await rejected;
  const late = createEventChannel([startEvent]);
  settle.resolve({ type: 'stream', events: late });
  await flushPromises();
  assert.equal(late.returned, true);
});

test('a non-streamed answer is bounded by totalMs, not by firstTokenMs', async () => {
  const clock = createManualClock();
  const { attempt, settle } = controllable();
  const pending = createTimeoutInterceptor(options, { clock })(attempt)(attemptCall({ stream: false }));
  await clock.advance(5_000);
  settle.resolve(resultOutput);
  assert.equal(await pending, resultOutput);
  assert.equal(clock.pendingTimers(), 0);

  const slow = controllable();
  const timedOut = createTimeoutInterceptor(options, { clock })(slow.attempt)(attemptCall({ stream: false }));
  const rejected = assert.rejects(timedOut, isTimeout(/No answer from openai\/gpt-4o within 10000 ms/));
  await clock.advance(10_000);
  await rejected;
  assert.equal(slow.calls[0]?.signal.aborted, true);
});

test('an error from the attempt passes through unchanged and clears the timer', async () => {
  const clock = createManualClock();
  const error = new GatewayError('upstream_server_error', 'boom');
  const attempt: AttemptFunction = async () => {
    throw error;
  };
  await assert.rejects(createTimeoutInterceptor(options, { clock })(attempt)(attemptCall({ stream: true })), (thrown) => thrown === error);
  assert.equal(clock.pendingTimers(), 0);
});

/** Starts a guarded stream over a channel the test feeds. */
const startStream = async (timeoutOptions = options) => {
  const clock = createManualClock();
  const channel = createEventChannel([startEvent, textEvent('Hel')]);
  const { attempt, calls, settle } = controllable();
  settle.resolve({ type: 'stream', events: channel });
  const output = await createTimeoutInterceptor(timeoutOptions, { clock })(attempt)(attemptCall({ stream: true }));
  const iterator = streamOf(output)[Symbol.asyncIterator]();
  return { clock, channel, iterator, signal: () => calls[0]?.signal };
};

test('a stream that goes quiet for idleMs ends with an upstream_timeout error event and its source is cancelled', async () => {
  const { clock, channel, iterator, signal } = await startStream();
  assert.deepEqual((await iterator.next()).value, startEvent);
  assert.deepEqual((await iterator.next()).value, textEvent('Hel'));
  const quiet = iterator.next();
  await clock.advance(499);
  assert.equal(signal()?.aborted, false);
  await clock.advance(1);
  const event = (await quiet).value as StreamEvent;
  assert.equal(event.type, 'error');
  assert.ok(event.type === 'error' && event.code === 'upstream_timeout' && /sent nothing for 500 ms/.test(event.message));
  assert.equal((await iterator.next()).done, true, 'nothing follows the error event');
  assert.equal(channel.returned, true);
  assert.equal(signal()?.aborted, true);
});

test('each event restarts the idle timer, and a slow reader is not an idle upstream', async () => {
  const { clock, channel, iterator } = await startStream();
  await iterator.next();
  await iterator.next();
  const events: StreamEvent[] = [];
  for (const text of ['lo', ' wor', 'ld']) {
    const waiting = iterator.next();
    await clock.advance(400);
    channel.push(textEvent(text));
    events.push((await waiting).value as StreamEvent);
    // The reader takes its time: the idle timer is not running while nobody waits for the source.
    await clock.advance(2_000);
  }
  channel.push(finishEvent);
  channel.end();
  events.push((await iterator.next()).value as StreamEvent);
  assert.equal((await iterator.next()).done, true);
  assert.deepEqual(events, [textEvent('lo'), textEvent(' wor'), textEvent('ld'), finishEvent]);
  assert.equal(channel.returned, false, 'a source that ended by itself is not cancelled');
  assert.equal(clock.pendingTimers(), 0);
});

test('a stream that keeps trickling past totalMs ends with an upstream_timeout error event', async () => {
  const { clock, channel, iterator, signal } = await startStream(timeoutOptionsSchema.parse({ firstTokenMs: 1_000, idleMs: 500, totalMs: 2_000 }));
  await iterator.next();
  await iterator.next();
  const received: StreamEvent[] = [];
  for (;;) {
    const waiting = iterator.next();
    await clock.advance(300);
    channel.push(textEvent('.'));
    const step = await waiting;
    if (step.done === true) break;
    received.push(step.value);
    if (step.value.type === 'error') break;
  }
  const last = received.at(-1);
  assert.ok(last?.type === 'error' && last.code === 'upstream_timeout' && /total time limit/.test(last.message), JSON.stringify(last));
  assert.equal(received.filter((event) => event.type === 'text-delta').length, 6, 'six events fit in the 2000 ms');
  assert.equal(channel.returned, true);
  assert.equal(signal()?.aborted, true);
});

test('a reader that stops early cancels the source and leaves no timer behind', async () => {
  const { clock, channel, iterator } = await startStream();
  await iterator.next();
  await iterator.return?.();
  assert.equal(channel.returned, true);
  assert.equal(clock.pendingTimers(), 0);
});

test("the caller's abort reaches the attempt, and stops following it once the attempt is over", async () => {
  const clock = createManualClock();
  const running = controllable();
  const caller = new AbortController();
  const pending = createTimeoutInterceptor(options, { clock })(running.attempt)(attemptCall({ signal: caller.signal }));
  caller.abort(new Error('gone'));
  assert.equal(running.calls[0]?.signal.aborted, true);
  running.settle.reject(new GatewayError('client_closed_request', 'gone'));
  await assert.rejects(pending);

  const finished = controllable();
  const other = new AbortController();
  finished.settle.resolve(resultOutput);
  await createTimeoutInterceptor(options, { clock })(finished.attempt)(attemptCall({ signal: other.signal }));
  other.abort();
  assert.equal(finished.calls[0]?.signal.aborted, false);
});

test('a source that breaks its contract by throwing mid-stream passes the error on', async () => {
  const { channel, iterator } = await startStream();
  await iterator.next();
  await iterator.next();
  const failure = new Error('source bug');
  channel.fail(failure);
  await assert.rejects(iterator.next(), (thrown) => thrown === failure);
});

test('collecting a healthy guarded stream yields every event unchanged', async () => {
  const { channel, iterator } = await startStream();
  channel.push(finishEvent);
  channel.end();
  const events = await collect({ [Symbol.asyncIterator]: () => iterator });
  assert.deepEqual(events, [startEvent, textEvent('Hel'), finishEvent]);
});

test('options: defaults, and rejects malformed values', () => {
  assert.deepEqual(timeoutOptionsSchema.parse({}), { firstTokenMs: 60_000, idleMs: 30_000, totalMs: 600_000 });
  assert.equal(timeoutOptionsSchema.safeParse({ firstTokenMs: 0 }).success, false);
  assert.equal(timeoutOptionsSchema.safeParse({ idleMs: -5 }).success, false);
  assert.equal(timeoutOptionsSchema.safeParse({ totalMs: '10s' }).success, false);
  assert.equal(timeoutOptionsSchema.safeParse({ connectMs: 1_000 }).success, false);
});
