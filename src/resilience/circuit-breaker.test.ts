import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, isGatewayError, type ErrorCode } from '../core/errors/index.ts';
import type { AttemptCall, AttemptFunction, AttemptOutput } from '../core/pipeline/call-interceptor.ts';
import type { StreamEvent } from '../core/model/index.ts';
import type { CircuitPolicy, CircuitState, CircuitStore } from '../stores/shared-state-contracts.ts';
import { circuitBreakerOptionsSchema, createCircuitBreakerInterceptor, type CircuitBreakerPolicy, type CircuitStateChange } from './circuit-breaker.ts';
import { attemptCall, collect, createEventChannel, finishEvent, resultOutput, startEvent, streamOf, textEvent } from './testing/attempt-fixtures.ts';
import { createManualClock, flushPromises, type ManualClock } from './testing/manual-clock.ts';

// The breaker restates the store's types (resilience/ may not import stores/): they must stay compatible.
const policyIsACircuitPolicy: CircuitPolicy = {} as CircuitBreakerPolicy;
void policyIsACircuitPolicy;

interface FakeCircuit extends CircuitState {
  outcomes: Array<{ at: number; failed: boolean }>;
  probes: number;
}

/** A small in-memory CircuitStore for these tests: consecutive failures, a rolling rate, half-open probes. */
const createFakeCircuitStore = (): CircuitStore => {
  const circuits = new Map<string, FakeCircuit>();
  const current = (deployment: string, policy: CircuitPolicy, now: number): FakeCircuit => {
    let circuit = circuits.get(deployment);
    if (circuit === undefined) {
      circuit = { phase: 'closed', consecutiveFailures: 0, windowSuccesses: 0, windowFailures: 0, outcomes: [], probes: 0 };
      circuits.set(deployment, circuit);
    }
    if (circuit.phase === 'open' && circuit.openedAt !== undefined && now >= circuit.openedAt + policy.openMs) Object.assign(circuit, { phase: 'half-open', probes: 0 });
    circuit.outcomes = circuit.outcomes.filter((outcome) => outcome.at > now - policy.windowMs);
    circuit.windowFailures = circuit.outcomes.filter((outcome) => outcome.failed).length;
    circuit.windowSuccesses = circuit.outcomes.length - circuit.windowFailures;
    return circuit;
  };
  const snapshot = ({ phase, openedAt, consecutiveFailures, windowSuccesses, windowFailures }: FakeCircuit): CircuitState =>
    openedAt === undefined ? { phase, consecutiveFailures, windowSuccesses, windowFailures } : { phase, openedAt, consecutiveFailures, windowSuccesses, windowFailures };
  const open = (circuit: FakeCircuit, now: number): void => {
    Object.assign(circuit, { phase: 'open', openedAt: now, probes: 0 });
  };
  const close = (circuit: FakeCircuit): void => {
    Object.assign(circuit, { phase: 'closed', openedAt: undefined, consecutiveFailures: 0, outcomes: [], windowSuccesses: 0, windowFailures: 0 });
  };
  return {
    read: async (deployment, policy, now) => snapshot(current(deployment, policy, now)),
    async admit(deployment, policy, now) {
      const circuit = current(deployment, policy, now);
      if (circuit.phase === 'closed') return true;
      if (circuit.phase === 'open' || circuit.probes >= policy.halfOpenProbes) return false;
      circuit.probes += 1;
      return true;
    },
    async record(deployment, outcome, policy, now) {
      const circuit = current(deployment, policy, now);
      const failed = outcome === 'failure';
      if (circuit.phase === 'half-open') {
        if (failed) open(circuit, now);
        else close(circuit);
        return snapshot(circuit);
      }
      circuit.consecutiveFailures = failed ? circuit.consecutiveFailures + 1 : 0;
      circuit.outcomes.push({ at: now, failed });
      const fresh = current(deployment, policy, now);
      const total = fresh.windowFailures + fresh.windowSuccesses;
      const rateTripped = total >= policy.minimumRequests && fresh.windowFailures / total >= policy.failureRateThreshold;
      if (circuit.phase === 'closed' && (circuit.consecutiveFailures >= policy.consecutiveFailures || rateTripped)) open(circuit, now);
      return snapshot(circuit);
    },
    list: async (policy, now) => Object.fromEntries([...circuits.keys()].map((deployment) => [deployment, snapshot(current(deployment, policy, now))])),
  };
};

const options = circuitBreakerOptionsSchema.parse({ consecutiveFailures: 3, minimumRequests: 100, openMs: 30_000, halfOpenProbes: 1 });

interface Harness {
  clock: ManualClock;
  store: CircuitStore;
  changes: CircuitStateChange[];
  guard: (attempt: AttemptFunction) => AttemptFunction;
}

const harness = (breakerOptions = options, store: CircuitStore = createFakeCircuitStore()): Harness => {
  const clock = createManualClock();
  const changes: CircuitStateChange[] = [];
  const interceptor = createCircuitBreakerInterceptor(breakerOptions, { store, clock, onStateChange: (change) => changes.push(change) });
  return { clock, store, changes, guard: interceptor };
};

/** An attempt that fails with `code` while `failing` is set, counting its calls. */
const switchable = (code: ErrorCode = 'upstream_server_error') => {
  const state = { failing: true, calls: 0 };
  const attempt: AttemptFunction = async () => {
    state.calls += 1;
    if (state.failing) throw new GatewayError(code, code);
    return resultOutput;
  };
  return { state, attempt };
};

const isCircuitOpen = (thrown: unknown): boolean => isGatewayError(thrown) && thrown.code === 'circuit_open' && thrown.spec.fallback;

test('opens after consecutiveFailures failures in a row, then fails fast without calling the deployment', async () => {
  const { guard, changes } = harness();
  const { state, attempt } = switchable();
  const guarded = guard(attempt);
  for (let failure = 0; failure < 3; failure += 1) await assert.rejects(guarded(attemptCall()), /upstream_server_error/);
  assert.deepEqual(changes, [{ deployment: 'openai/gpt-4o', from: 'closed', to: 'open' }]);
  await assert.rejects(guarded(attemptCall()), (thrown) => isCircuitOpen(thrown) && isGatewayError(thrown) && thrown.retryAfterSeconds === 30);
  assert.equal(state.calls, 3);
});

test('after openMs one probe goes through; its success closes the circuit', async () => {
  const { guard, clock, changes } = harness();
  const { state, attempt } = switchable();
  const guarded = guard(attempt);
  for (let failure = 0; failure < 3; failure += 1) await assert.rejects(guarded(attemptCall()));
  await clock.advance(29_999);
  await assert.rejects(guarded(attemptCall()), isCircuitOpen);
  await clock.advance(1);
  state.failing = false;
  const probe = Promise.withResolvers<AttemptOutput>();
  const slowProbe = guard(() => probe.promise)(attemptCall());
  await flushPromises();
  await assert.rejects(guarded(attemptCall()), isCircuitOpen, 'a second call while the probe is out is refused');
  probe.resolve(resultOutput);
  assert.equal(await slowProbe, resultOutput);
  await flushPromises();
  assert.equal(await guarded(attemptCall()), resultOutput);
  assert.deepEqual(changes.at(-1), { deployment: 'openai/gpt-4o', from: 'open', to: 'closed' });
  assert.equal(state.calls, 4);
});

test('a failed probe opens the circuit again for another openMs', async () => {
  const { guard, clock } = harness();
  const { state, attempt } = switchable();
  const guarded = guard(attempt);
  for (let failure = 0; failure < 3; failure += 1) await assert.rejects(guarded(attemptCall()));
  await clock.advance(30_000);
  await assert.rejects(guarded(attemptCall()), /upstream_server_error/);
  await assert.rejects(guarded(attemptCall()), isCircuitOpen);
  assert.equal(state.calls, 4);
  await clock.advance(30_000);
  state.failing = false;
  assert.equal(await guarded(attemptCall()), resultOutput);
});

test("caller errors never count as failures: the deployment answered them", async () => {
  const { guard, changes } = harness();
  const failing = switchable('upstream_server_error');
  const rejecting = switchable('upstream_bad_request');
  for (let failure = 0; failure < 2; failure += 1) await assert.rejects(guard(failing.attempt)(attemptCall()));
  for (let request = 0; request < 10; request += 1) await assert.rejects(guard(rejecting.attempt)(attemptCall()), /upstream_bad_request/);
  // The two failures before the 400s no longer run in a row with this one.
  await assert.rejects(guard(failing.attempt)(attemptCall()), /upstream_server_error/);
  await assert.rejects(guard(failing.attempt)(attemptCall()), /upstream_server_error/);
  assert.deepEqual(changes, []);
});

test('rate limits do not open the circuit unless countRateLimits is set', async () => {
  const quiet = harness();
  const limited = switchable('upstream_rate_limited');
  for (let request = 0; request < 10; request += 1) await assert.rejects(quiet.guard(limited.attempt)(attemptCall()), /upstream_rate_limited/);
  assert.deepEqual(quiet.changes, []);

  const counting = harness({ ...options, countRateLimits: true });
  for (let request = 0; request < 3; request += 1) await assert.rejects(counting.guard(limited.attempt)(attemptCall()));
  await assert.rejects(counting.guard(limited.attempt)(attemptCall()), isCircuitOpen);
});

test('a caller who leaves says nothing about the deployment', async () => {
  const { guard, changes } = harness();
  const leaving = switchable('client_closed_request');
  for (let request = 0; request < 5; request += 1) await assert.rejects(guard(leaving.attempt)(attemptCall()), /client_closed_request/);
  assert.deepEqual(changes, []);
});

test('opens on the rolling failure rate even without a run of consecutive failures', async () => {
  const { guard } = harness(circuitBreakerOptionsSchema.parse({ consecutiveFailures: 100, failureRateThreshold: 0.5, minimumRequests: 10 }));
  const failing = switchable();
  const healthy = switchable();
  healthy.state.failing = false;
  for (let round = 0; round < 5; round += 1) {
    await assert.rejects(guard(failing.attempt)(attemptCall()));
    await guard(healthy.attempt)(attemptCall());
    await flushPromises();
  }
  await assert.rejects(guard(healthy.attempt)(attemptCall()), isCircuitOpen);
});

test('each deployment (provider/model) has its own circuit', async () => {
  const { guard } = harness();
  const { attempt } = switchable();
  for (let failure = 0; failure < 3; failure += 1) await assert.rejects(guard(attempt)(attemptCall()));
  await assert.rejects(guard(attempt)(attemptCall()), isCircuitOpen);
  const healthy = switchable();
  healthy.state.failing = false;
  assert.equal(await guard(healthy.attempt)(attemptCall({ model: 'gpt-4o-mini' })), resultOutput);
  assert.equal(await guard(healthy.attempt)(attemptCall({ provider: 'azure' })), resultOutput);
});

/** Runs one stream attempt through the breaker, reading `read` events (all when undefined). */
const runStream = async (guard: Harness['guard'], events: readonly StreamEvent[], how: { end: boolean; read?: number }): Promise<void> => {
  const channel = createEventChannel(events);
  if (how.end) channel.end();
  const attempt: AttemptFunction = async () => ({ type: 'stream', events: channel });
  const output = await guard(attempt)(attemptCall({ stream: true }));
  if (how.read === undefined) await collect(streamOf(output));
  else {
    const iterator = streamOf(output)[Symbol.asyncIterator]();
    for (let read = 0; read < how.read; read += 1) await iterator.next();
    await iterator.return?.();
  }
  await flushPromises();
};

test('a stream that fails after its first event counts as a failure', async () => {
  const { guard } = harness();
  const broken: StreamEvent[] = [startEvent, textEvent('Hel'), { type: 'error', code: 'upstream_stream_interrupted', message: 'reset' }];
  for (let request = 0; request < 3; request += 1) await runStream(guard, broken, { end: true });
  await assert.rejects(runStream(guard, [startEvent, finishEvent], { end: true }), isCircuitOpen);
});

test('a stream cut off without finish or error counts as a failure', async () => {
  const { guard } = harness();
  for (let request = 0; request < 3; request += 1) await runStream(guard, [startEvent, textEvent('Hel')], { end: true });
  await assert.rejects(runStream(guard, [startEvent, finishEvent], { end: true }), isCircuitOpen);
});

test('a stream that finishes, or that its reader stops early, counts as a success', async () => {
  const { guard, changes } = harness();
  const failing = switchable();
  for (let round = 0; round < 3; round += 1) {
    for (let failure = 0; failure < 2; failure += 1) await assert.rejects(guard(failing.attempt)(attemptCall()));
    if (round % 2 === 0) await runStream(guard, [startEvent, textEvent('Hi'), finishEvent, { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } }], { end: true });
    else await runStream(guard, [startEvent, textEvent('Hi'), textEvent('!')], { end: false, read: 2 });
  }
  assert.deepEqual(changes, []);
});

test('an unreachable store fails open: the call goes through and the error is reported', async () => {
  const store = createFakeCircuitStore();
  const broken: CircuitStore = {
    ...store,
    admit: async () => {
      throw new Error('ECONNREFUSED');
    },
    record: async () => {
      throw new Error('ECONNREFUSED');
    },
  };
  const storeErrors: string[] = [];
  const guard = createCircuitBreakerInterceptor(options, { store: broken, clock: createManualClock(), onStoreError: (_error, deployment) => storeErrors.push(deployment) });
  const healthy = switchable();
  healthy.state.failing = false;
  assert.equal(await guard(healthy.attempt)(attemptCall()), resultOutput);
  await flushPromises();
  assert.deepEqual(storeErrors, ['openai/gpt-4o', 'openai/gpt-4o']);
});

test('the call reaches the deployment unchanged', async () => {
  const { guard } = harness();
  const seen: AttemptCall[] = [];
  const call = attemptCall();
  await guard(async (received) => {
    seen.push(received);
    return resultOutput;
  })(call);
  assert.equal(seen[0], call);
});

test('options: defaults, and rejects malformed values', () => {
  assert.deepEqual(circuitBreakerOptionsSchema.parse({}), {
    consecutiveFailures: 5,
    failureRateThreshold: 0.5,
    minimumRequests: 20,
    windowMs: 60_000,
    openMs: 30_000,
    halfOpenProbes: 1,
    countRateLimits: false,
  });
  assert.equal(circuitBreakerOptionsSchema.safeParse({ failureRateThreshold: 0 }).success, false);
  assert.equal(circuitBreakerOptionsSchema.safeParse({ failureRateThreshold: 1.2 }).success, false);
  assert.equal(circuitBreakerOptionsSchema.safeParse({ consecutiveFailures: 0 }).success, false);
  assert.equal(circuitBreakerOptionsSchema.safeParse({ halfOpenProbes: 1.5 }).success, false);
  assert.equal(circuitBreakerOptionsSchema.safeParse({ openSeconds: 30 }).success, false);
});
