import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttemptOutput } from '../../core/pipeline/call-interceptor.ts';
import { createQueueInterceptor } from './create-queue-interceptor.ts';
import type { Priority } from './request-priority.ts';
import { callOf, resultWith } from './testing/admission-fixtures.ts';
import { FakeClock } from './testing/fake-clock.ts';

/**
 * Deterministic simulations of one saturated deployment on a fake clock: fixed service times, arrivals
 * on a fixed schedule, waits measured from arrival to the moment the upstream is called.
 */
interface Arrival {
  at: number;
  priority: Priority;
  keyId: string;
}

const done: AttemptOutput = { type: 'result', result: resultWith({ inputTokens: 1, outputTokens: 1 }) };

const simulate = async (arrivals: readonly Arrival[], capacity: number, serviceMs: number, agingMs?: number): Promise<{ waits: number[]; order: number[] }> => {
  const clock = new FakeClock(0);
  const startedAt = new Map<number, number>();
  const order: number[] = [];
  const run = createQueueInterceptor({ clock, defaultMaxConcurrent: capacity, defaultTimeoutMs: 600_000, maxTimeoutMs: 600_000, agingMs })(async (call) => {
    const index = Number(call.requestId);
    startedAt.set(index, clock.now());
    order.push(index);
    await new Promise<void>((resolve) => clock.setTimer(resolve, serviceMs));
    return done;
  });
  let completed = 0;
  arrivals.forEach((arrival, index) => {
    clock.setTimer(() => {
      void run(callOf({ requestId: String(index), priority: arrival.priority, keyId: arrival.keyId })).then(() => {
        completed += 1;
      });
    }, arrival.at);
  });
  await clock.runAll();
  assert.equal(completed, arrivals.length, 'every request is served');
  return { waits: arrivals.map((arrival, index) => (startedAt.get(index) ?? Number.NaN) - arrival.at), order };
};

const percentile = (values: readonly number[], fraction: number): number => {
  const sorted = values.toSorted((left, right) => left - right);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
};

const waitsOf = (arrivals: readonly Arrival[], waits: readonly number[], priority: Priority): number[] =>
  waits.filter((_, index) => arrivals[index]?.priority === priority);

test('under saturation, high-priority p95 wait is at most a tenth of low-priority p95 wait', async (t) => {
  // Capacity 4 × 97 ms ≈ 41 requests/s; 400 requests arrive every 19 ms, ≈ 53/s (28% over), every fifth one
  // high. Periods that do not divide each other, so arrivals and completions rarely coincide.
  // Arrivals are spread rather than simultaneous: with all 400 at t=0 the 80 high requests would queue
  // behind one another and their p95 could not fall below 76/384 ≈ 0.2 of the low p95 under any order.
  const arrivals: Arrival[] = Array.from({ length: 400 }, (_, index) => ({
    at: index * 19,
    priority: index % 5 === 0 ? 'high' : 'low',
    keyId: index % 5 === 0 ? 'vk_app' : `vk_batch_${index % 3}`,
  }));
  const { waits } = await simulate(arrivals, 4, 97);
  const high = waitsOf(arrivals, waits, 'high');
  const low = waitsOf(arrivals, waits, 'low');
  const highP95 = percentile(high, 0.95);
  const lowP95 = percentile(low, 0.95);
  t.diagnostic(`p95 wait: high ${highP95} ms (${high.length} requests), low ${lowP95} ms (${low.length} requests), ratio ${(highP95 / lowP95).toFixed(3)}`);
  assert.equal(high.length, 80);
  assert.ok(lowP95 > 0, 'the deployment was saturated');
  assert.ok(highP95 * 10 <= lowP95, `high p95 ${highP95} ms vs low p95 ${lowP95} ms`);
});

test('when everything arrives at once, every high request is admitted before any low one', async () => {
  const arrivals: Arrival[] = Array.from({ length: 400 }, (_, index) => ({ at: 0, priority: index % 5 === 0 ? 'high' : 'low', keyId: `vk_${index % 7}` }));
  const { order, waits } = await simulate(arrivals, 4, 100);
  // The first four found free slots and went straight through (one high, three low); of the 396 that
  // queued, the 79 high ones were admitted first.
  const queuedPriorities = order.slice(4).map((index) => arrivals[index]?.priority);
  assert.deepEqual(queuedPriorities.slice(0, 79), Array.from({ length: 79 }, () => 'high'));
  assert.equal(queuedPriorities.filter((priority) => priority === 'high').length, 79);
  // 79 queued high requests through 4 slots of 100 ms: the last starts after 20 rounds.
  assert.equal(percentile(waitsOf(arrivals, waits, 'high'), 1), 2000);
});

test('fairness: a key with 10 queued behind a key with 1,000 is served within the first turns, not after them', async (t) => {
  const arrivals: Arrival[] = [
    ...Array.from({ length: 1000 }, () => ({ at: 0, priority: 'low' as const, keyId: 'vk_noisy' })),
    ...Array.from({ length: 10 }, () => ({ at: 1, priority: 'low' as const, keyId: 'vk_quiet' })),
  ];
  const { waits, order } = await simulate(arrivals, 4, 100);
  const quietPositions = order.map((index, position) => (arrivals[index]?.keyId === 'vk_quiet' ? position : -1)).filter((position) => position >= 0);
  const quietMaxWait = Math.max(...waits.slice(1000));
  t.diagnostic(`quiet key admitted at positions ${quietPositions.join(', ')}; its longest wait ${quietMaxWait} ms; the noisy key's ${Math.max(...waits.slice(0, 1000))} ms`);
  assert.ok(Math.max(...quietPositions) < 4 + 20, 'all ten within the first twenty turns after the first four slots');
  assert.ok(quietMaxWait <= 600);
});

test('aging: low requests are not starved by high traffic that alone saturates the deployment', async (t) => {
  // One slot of 100 ms; high requests every 90 ms for 20 s; five low requests at the start. With strict
  // priority the low ones would wait the whole 20 s; with agingMs = 1 s each is served after about 2 s.
  const arrivals: Arrival[] = [
    ...Array.from({ length: 5 }, () => ({ at: 0, priority: 'low' as const, keyId: 'vk_batch' })),
    ...Array.from({ length: 222 }, (_, index) => ({ at: 1 + index * 90, priority: 'high' as const, keyId: 'vk_app' })),
  ];
  const { waits } = await simulate(arrivals, 1, 100, 1000);
  const lowWaits = waits.slice(1, 5);
  t.diagnostic(`queued low waits: ${lowWaits.join(', ')} ms`);
  assert.ok(Math.max(...lowWaits) <= 2500, `low waits ${lowWaits.join(', ')}`);
  assert.ok(Math.min(...lowWaits) >= 2000, 'but only once aged to the top class');
});
