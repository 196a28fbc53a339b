import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, isGatewayError } from '../../core/errors/index.ts';
import type { AttemptCall, AttemptOutput } from '../../core/pipeline/call-interceptor.ts';
import { createQueueInterceptor, type QueueInterceptorOptions } from './create-queue-interceptor.ts';
import type { DequeuedEvent, QueuedEvent } from './deployment-gate.ts';
import { callOf, resultWith, streamEventsWith, trackedStream } from './testing/admission-fixtures.ts';
import { FakeClock, flushMicrotasks } from './testing/fake-clock.ts';

const done: AttemptOutput = { type: 'result', result: resultWith({ inputTokens: 1, outputTokens: 1 }) };

/** An upstream whose calls finish only when the test says; it records who was let through, in order. */
const controllableUpstream = () => {
  const started: Array<{ call: AttemptCall; finish: (output?: AttemptOutput) => void; fail: (error: unknown) => void }> = [];
  const attempt = (call: AttemptCall): Promise<AttemptOutput> =>
    new Promise((resolve, reject) => {
      started.push({ call, finish: (output = done) => resolve(output), fail: reject });
    });
  return { started, attempt };
};

const setup = (options: QueueInterceptorOptions = {}) => {
  const clock = new FakeClock();
  const queued: QueuedEvent[] = [];
  const dequeued: DequeuedEvent[] = [];
  const upstream = controllableUpstream();
  const run = createQueueInterceptor({ clock, onQueued: (event) => queued.push(event), onDequeued: (event) => dequeued.push(event), ...options })(upstream.attempt);
  return { clock, queued, dequeued, upstream, run };
};

const settled = <T>(promise: Promise<T>) => {
  const state: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then(
    (value) => Object.assign(state, { value, done: true }),
    (error: unknown) => Object.assign(state, { error, done: true }),
  );
  return state;
};

const rateLimited = (retryAfterSeconds?: number) =>
  new GatewayError('upstream_rate_limited', 'Rate limit reached', { upstreamStatus: 429, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });

test('with free capacity a call goes straight through, without queueing', async () => {
  const { upstream, run, queued } = setup({ defaultMaxConcurrent: 2 });
  const call = settled(run(callOf()));
  await flushMicrotasks();
  assert.equal(upstream.started.length, 1);
  upstream.started[0]?.finish();
  await flushMicrotasks();
  assert.equal(call.value, done);
  assert.equal(queued.length, 0);
});

test('at capacity a call waits for a slot, and the wait is reported', async () => {
  const { clock, upstream, run, queued, dequeued } = setup({ defaultMaxConcurrent: 1 });
  settled(run(callOf({ requestId: 'first' })));
  const second = settled(run(callOf({ requestId: 'second', priority: 'low', keyId: 'vk_b' })));
  await flushMicrotasks();
  assert.equal(upstream.started.length, 1);
  assert.deepEqual(queued, [{ deployment: 'openai/gpt-test', priority: 'low', keyId: 'vk_b', depth: 1 }]);
  await clock.advance(250);
  upstream.started[0]?.finish();
  await flushMicrotasks();
  assert.equal(upstream.started[1]?.call.requestId, 'second');
  assert.deepEqual(dequeued, [{ deployment: 'openai/gpt-test', priority: 'low', keyId: 'vk_b', depth: 0, waitMs: 250, outcome: 'admitted' }]);
  upstream.started[1]?.finish();
  await flushMicrotasks();
  assert.equal(second.value, done);
});

test('deployments are gated separately', async () => {
  const { upstream, run } = setup({ defaultMaxConcurrent: 1 });
  run(callOf({ model: 'a' }));
  run(callOf({ model: 'b' }));
  await flushMicrotasks();
  assert.equal(upstream.started.length, 2);
});

test('a configured deployment capacity overrides the default', async () => {
  const { upstream, run } = setup({ defaultMaxConcurrent: 1, deployments: { 'openai/big': { maxConcurrent: 3 } } });
  for (let index = 0; index < 4; index++) run(callOf({ model: 'big' }));
  await flushMicrotasks();
  assert.equal(upstream.started.length, 3);
});

test('waiters are admitted high first, then normal, then low', async () => {
  const { upstream, run } = setup({ defaultMaxConcurrent: 1 });
  run(callOf({ requestId: 'busy' }));
  for (const priority of ['low', 'normal', 'high', 'low', 'high'] as const) run(callOf({ requestId: `${priority}-${upstream.started.length}`, priority }));
  await flushMicrotasks();
  const order: string[] = [];
  for (let index = 0; index < 6; index++) {
    const current = upstream.started[index];
    order.push(`${current?.call.priority}`);
    current?.finish();
    await flushMicrotasks();
  }
  assert.deepEqual(order, ['normal', 'high', 'high', 'normal', 'low', 'low']);
});

test('a waiter whose deadline passes fails with upstream_rate_limited, so dispatch can fail over', async () => {
  const { clock, run, dequeued } = setup({ defaultMaxConcurrent: 1, defaultTimeoutMs: 1000 });
  run(callOf());
  const waiting = settled(run(callOf()));
  await clock.advance(999);
  assert.equal(waiting.done, false);
  await clock.advance(1);
  assert.ok(isGatewayError(waiting.error));
  assert.equal(waiting.error.code, 'upstream_rate_limited');
  assert.equal(waiting.error.spec.fallback, true);
  assert.equal(dequeued[0]?.outcome, 'expired');
  assert.equal(dequeued[0]?.waitMs, 1000);
});

test("the call's own queue timeout applies, capped by maxTimeoutMs; zero means do not wait", async () => {
  const { clock, run } = setup({ defaultMaxConcurrent: 1, maxTimeoutMs: 5000 });
  run(callOf());
  const patient = settled(run({ ...callOf(), queueTimeoutMs: 60_000 } as AttemptCall));
  const impatient = settled(run({ ...callOf(), queueTimeoutMs: 0 } as AttemptCall));
  await flushMicrotasks();
  assert.ok(isGatewayError(impatient.error));
  await clock.advance(4999);
  assert.equal(patient.done, false);
  await clock.advance(1);
  assert.ok(isGatewayError(patient.error));
});

test('a 429 whose Retry-After fits the budget re-queues the call and re-dispatches it after the wait', async () => {
  const { clock, upstream, run } = setup({ defaultTimeoutMs: 10_000 });
  const call = settled(run(callOf()));
  await flushMicrotasks();
  upstream.started[0]?.fail(rateLimited(2));
  await clock.advance(1999);
  assert.equal(upstream.started.length, 1, 'held for the Retry-After');
  await clock.advance(1);
  assert.equal(upstream.started.length, 2);
  upstream.started[1]?.finish();
  await flushMicrotasks();
  assert.equal(call.value, done);
});

test('a 429 also holds calls that arrive during its Retry-After', async () => {
  const { clock, upstream, run } = setup({ defaultTimeoutMs: 10_000 });
  run(callOf());
  await flushMicrotasks();
  upstream.started[0]?.fail(rateLimited(1));
  await flushMicrotasks();
  run(callOf({ requestId: 'newcomer' }));
  await clock.advance(500);
  assert.equal(upstream.started.length, 1);
  await clock.advance(500);
  assert.equal(upstream.started.length, 2, 'after the hold the gate learned a capacity of one');
});

test('a 429 whose Retry-After exceeds the remaining budget fails at once with that same error', async () => {
  const { upstream, run } = setup({ defaultTimeoutMs: 1000 });
  const call = settled(run(callOf()));
  await flushMicrotasks();
  const refusal = rateLimited(5);
  upstream.started[0]?.fail(refusal);
  await flushMicrotasks();
  assert.equal(call.error, refusal);
});

test('a re-queued call whose deadline then passes fails with the original 429', async () => {
  const { clock, upstream, run } = setup({ defaultTimeoutMs: 3000, defaultMaxConcurrent: 1 });
  run(callOf({ requestId: 'hog' }));
  const call = settled(run(callOf({ requestId: 'victim' })));
  await flushMicrotasks();
  upstream.started[0]?.finish();
  await flushMicrotasks();
  const refusal = rateLimited(1);
  upstream.started[1]?.fail(refusal);
  await flushMicrotasks();
  run(callOf({ requestId: 'hog-2', priority: 'high' }));
  await clock.advance(1000);
  // The high-priority newcomer took the one slot; the victim waits on and runs out of budget.
  assert.equal(upstream.started[2]?.call.requestId, 'hog-2');
  await clock.advance(2000);
  assert.equal(call.error, refusal);
});

test('other errors pass through and free the slot', async () => {
  const { upstream, run } = setup({ defaultMaxConcurrent: 1 });
  const first = settled(run(callOf()));
  run(callOf({ requestId: 'next' }));
  await flushMicrotasks();
  const failure = new GatewayError('upstream_server_error', 'boom');
  upstream.started[0]?.fail(failure);
  await flushMicrotasks();
  assert.equal(first.error, failure);
  assert.equal(upstream.started[1]?.call.requestId, 'next');
});

test('a caller that leaves while waiting is taken out of the queue', async () => {
  const { clock, run, dequeued } = setup({ defaultMaxConcurrent: 1 });
  run(callOf());
  const controller = new AbortController();
  const waiting = settled(run(callOf({ signal: controller.signal })));
  await clock.advance(10);
  controller.abort();
  await flushMicrotasks();
  assert.ok(isGatewayError(waiting.error));
  assert.equal(waiting.error.code, 'client_closed_request');
  assert.deepEqual(dequeued.map((event) => [event.outcome, event.depth, event.waitMs]), [['aborted', 0, 10]]);
  const alreadyGone = new AbortController();
  alreadyGone.abort();
  const late = settled(run(callOf({ signal: alreadyGone.signal })));
  await flushMicrotasks();
  assert.ok(isGatewayError(late.error));
});

test('a stream holds its slot until it ends, including when its consumer abandons it', async () => {
  const { upstream, run } = setup({ defaultMaxConcurrent: 1 });
  const source = trackedStream(streamEventsWith('hello', { inputTokens: 1, outputTokens: 1 }));
  const first = settled(run(callOf({ stream: true })));
  run(callOf({ requestId: 'next' }));
  await flushMicrotasks();
  upstream.started[0]?.finish({ type: 'stream', events: source });
  await flushMicrotasks();
  assert.equal(upstream.started.length, 1, 'the stream is still open');
  const output = first.value;
  if (output?.type !== 'stream') throw new Error('expected a stream');
  for await (const event of output.events) if (event.type === 'text-delta') break;
  await flushMicrotasks();
  assert.equal(source.returned, true);
  assert.equal(upstream.started[1]?.call.requestId, 'next');
});

test('a full queue fails a newcomer at once instead of queueing it', async () => {
  const { run } = setup({ defaultMaxConcurrent: 1, maxQueueDepth: 2 });
  run(callOf());
  run(callOf());
  run(callOf());
  const overflow = settled(run(callOf()));
  await flushMicrotasks();
  assert.ok(isGatewayError(overflow.error));
  assert.equal(overflow.error.code, 'upstream_rate_limited');
});

test('429s halve the capacity once per episode, and successes win it back one slot at a time', async () => {
  const { clock, upstream, run } = setup({ defaultMaxConcurrent: 8, defaultTimeoutMs: 60_000 });
  let ended = 0;
  const end = (index: number, how: 'finish' | 'refuse') => {
    const started = upstream.started[index];
    if (how === 'finish') started?.finish();
    else started?.fail(rateLimited(1));
    ended += 1;
  };
  const inFlight = () => upstream.started.length - ended;
  for (let index = 0; index < 20; index++) run(callOf({ requestId: `r${index}` }));
  await flushMicrotasks();
  assert.equal(inFlight(), 8);
  // Two of the eight in flight are refused together: one halving, to 4. The other six answer during
  // the hold, which does not count towards growing back.
  end(0, 'refuse');
  end(1, 'refuse');
  for (let index = 2; index < 8; index++) end(index, 'finish');
  await flushMicrotasks();
  assert.equal(inFlight(), 0, 'held for the Retry-After');
  await clock.advance(1000);
  assert.equal(inFlight(), 4);
  // Four successes at capacity 4 raise it to 5.
  for (let index = 8; index < 11; index++) {
    end(index, 'finish');
    await flushMicrotasks();
    assert.equal(inFlight(), 4);
  }
  end(11, 'finish');
  await flushMicrotasks();
  assert.equal(inFlight(), 5);
});

test("the deployment limiter's local refusal (no upstream status) holds the deployment but keeps its capacity", async () => {
  const { clock, upstream, run } = setup({ defaultMaxConcurrent: 4, defaultTimeoutMs: 60_000 });
  for (let index = 0; index < 10; index++) run(callOf({ requestId: `r${index}` }));
  await flushMicrotasks();
  upstream.started[0]?.fail(new GatewayError('upstream_rate_limited', 'Bulwark held back openai/gpt-test', { retryAfterSeconds: 1 }));
  for (let index = 1; index < 4; index++) upstream.started[index]?.finish();
  await clock.advance(999);
  assert.equal(upstream.started.length, 4, 'held');
  await clock.advance(1);
  assert.equal(upstream.started.length, 8, 'four slots again after the hold');
});
