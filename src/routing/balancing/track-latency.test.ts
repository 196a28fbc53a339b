import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { StreamEvent } from '../../core/model/index.ts';
import type { AttemptCall, AttemptFunction, AttemptOutput } from '../../core/pipeline/call-interceptor.ts';
import { createLatencyTracker } from './latency-tracker.ts';
import { trackLatency } from './track-latency.ts';

const call = (overrides: Partial<AttemptCall> = {}): AttemptCall => ({
  requestId: 'request-1',
  provider: 'openai',
  model: 'gpt-4o',
  stream: false,
  signal: new AbortController().signal,
  priority: 'normal',
  estimatedTokens: 100,
  ...overrides,
});

const result: AttemptOutput = {
  type: 'result',
  result: { id: 'r', model: 'gpt-4o', created: 0, content: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } },
};

/** A clock moved by hand, in milliseconds. */
const manualClock = (): { now: () => number; advance: (ms: number) => void } => {
  let current = 0;
  return { now: () => current, advance: (ms) => (current += ms) };
};

const events = async function* (list: StreamEvent[], failAtEnd = false): AsyncGenerator<StreamEvent> {
  yield* list;
  if (failAtEnd) throw new GatewayError('upstream_connection_failed', 'reset');
};
const timingOut: AttemptFunction = async () => {
  throw new GatewayError('upstream_timeout', 'aborted');
};
const finishEvents: StreamEvent[] = [{ type: 'text-delta', text: 'Hi' }, { type: 'finish', finishReason: 'stop' }];

test('a whole answer is in flight until it arrives, and its latency is observed', async () => {
  const tracker = createLatencyTracker({ smoothing: 1 });
  const clock = manualClock();
  const attempt: AttemptFunction = async () => {
    assert.equal(tracker.get('openai/gpt-4o').inFlight, 1);
    clock.advance(850);
    return result;
  };
  assert.equal(await trackLatency(tracker, clock.now)(attempt)(call()), result);
  assert.deepEqual({ ...tracker.get('openai/gpt-4o') }, { latencyMs: 850, timeToFirstTokenMs: undefined, inFlight: 0 });
});

test('a stream counts as in flight until it ends; first event and end are both timed', async () => {
  const tracker = createLatencyTracker({ smoothing: 1 });
  const clock = manualClock();
  const attempt: AttemptFunction = async () => {
    clock.advance(200);
    return { type: 'stream', events: events(finishEvents) };
  };
  const output = await trackLatency(tracker, clock.now)(attempt)(call({ stream: true }));
  assert.equal(output.type, 'stream');
  assert.deepEqual({ ...tracker.get('openai/gpt-4o') }, { latencyMs: undefined, timeToFirstTokenMs: 200, inFlight: 1 });
  if (output.type !== 'stream') return;
  const received: StreamEvent[] = [];
  for await (const event of output.events) {
    received.push(event);
    clock.advance(100);
  }
  assert.deepEqual(received, finishEvents);
  assert.deepEqual({ ...tracker.get('openai/gpt-4o') }, { latencyMs: 400, timeToFirstTokenMs: 200, inFlight: 0 });
});

test('an abandoned or failed stream ends its in-flight count without a latency sample', async () => {
  const tracker = createLatencyTracker();
  const abandoned = await trackLatency(tracker)(async () => ({ type: 'stream', events: events(finishEvents) }))(call());
  assert.equal(tracker.get('openai/gpt-4o').inFlight, 1);
  // The consumer gives up before reading anything: return() alone must settle it.
  if (abandoned.type === 'stream') await abandoned.events[Symbol.asyncIterator]().return?.();
  assert.equal(tracker.get('openai/gpt-4o').inFlight, 0);

  const failed = await trackLatency(tracker)(async () => ({ type: 'stream', events: events(finishEvents, true) }))(call());
  assert.equal(tracker.get('openai/gpt-4o').inFlight, 1);
  if (failed.type === 'stream') {
    await assert.rejects(async () => {
      for await (const event of failed.events) void event;
    }, /reset/);
  }
  assert.equal(tracker.get('openai/gpt-4o').inFlight, 0);
  assert.equal(tracker.get('openai/gpt-4o').latencyMs, undefined);
});

test('a timeout is observed as slowness; other failures are not', async () => {
  const tracker = createLatencyTracker({ smoothing: 1 });
  const clock = manualClock();
  const failing = (error: Error): AttemptFunction => async () => {
    clock.advance(30_000);
    throw error;
  };
  await assert.rejects(trackLatency(tracker, clock.now)(failing(new GatewayError('upstream_server_error', 'boom')))(call()), /boom/);
  assert.deepEqual({ ...tracker.get('openai/gpt-4o') }, { latencyMs: undefined, timeToFirstTokenMs: undefined, inFlight: 0 });
  await assert.rejects(trackLatency(tracker, clock.now)(failing(new GatewayError('upstream_timeout', 'slow')))(call()), /slow/);
  assert.equal(tracker.get('openai/gpt-4o').latencyMs, 30_000);
  assert.equal(tracker.get('openai/gpt-4o').inFlight, 0);
});

test('a timeout caused by the caller leaving says nothing about the deployment', async () => {
  const tracker = createLatencyTracker();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(trackLatency(tracker)(timingOut)(call({ signal: controller.signal })));
  assert.equal(tracker.get('openai/gpt-4o').latencyMs, undefined);
});
