import { GatewayError, isGatewayError } from '../../core/errors/index.ts';
import type { AttemptCall, AttemptOutput, CallInterceptor } from '../../core/pipeline/call-interceptor.ts';
import { DeploymentGate, type GateHooks } from './deployment-gate.ts';
import { systemClock, type QueueClock } from './queue-clock.ts';
import { queueOptionsSchema, type QueueOptions } from './queue-options-schema.ts';
import { watchStream } from '../../core/pipeline/watch-stream.ts';

export interface QueueInterceptorOptions extends Partial<QueueOptions>, GateHooks {
  clock?: QueueClock;
  /**
   * The call's own queue timeout (from `x-bulwark-queue-timeout-ms`, see `readQueueHeaders`); undefined
   * → `defaultTimeoutMs`. By default read from a numeric `queueTimeoutMs` on the call, when dispatch sets one.
   */
  queueTimeoutMsFor?: (call: AttemptCall) => number | undefined;
}

/** A 429 with `Retry-After: 0` would otherwise send the call straight back into the same refusal. */
const minimumHoldMs = 100;

const readQueueTimeout = (call: AttemptCall): number | undefined =>
  'queueTimeoutMs' in call && typeof call.queueTimeoutMs === 'number' ? call.queueTimeoutMs : undefined;

/**
 * The priority queue in front of each deployment (`provider/model`), as a per-attempt interceptor.
 *
 * Design: a capacity gate (at most N calls in flight per deployment; the rest wait and are admitted in
 * priority-then-fair order as slots free) rather than only parking calls that got a 429. Parking alone
 * would leave every call racing to the upstream until it refuses, and waking the parked ones when a
 * `Retry-After` passes would be a thundering herd in which priority means nothing; a gate decides who
 * goes next every time a slot frees, which is where priority and fairness act, and it is measurable
 * (depth, wait). 429s still drive it: a call refused with `upstream_rate_limited` (by the upstream or the
 * deployment limiter) holds the deployment for its `Retry-After`, lowers the learned capacity, and goes
 * back into the queue when the wait fits in its remaining budget — or fails with that 429 at once when it
 * does not, so dispatch can fail over. A waiter whose deadline passes fails with the 429 that queued it,
 * or with an `upstream_rate_limited` of its own when it only ever waited for a slot. A re-queued call
 * joins the back of its key's line.
 *
 * Place it inside the retry and outside the circuit breaker and the deployment limiter:
 * retry → queue → circuit breaker → deployment limiter → timeout → provider. It then sees the limiter's
 * and the provider's 429s first (and waits on them within the caller's budget, instead of the retry
 * spending its attempts on them), no attempt timeout counts the time spent queueing, and a waiting call
 * holds no half-open probe slot of the breaker. When the queue gives up, the retry may still retry the
 * 429 (`maxRetryAfterSeconds` permitting), which queues it again with a fresh budget.
 */
export const createQueueInterceptor = (options: QueueInterceptorOptions = {}): CallInterceptor => {
  const defaults = queueOptionsSchema.parse({});
  const clock = options.clock ?? systemClock;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? defaults.defaultTimeoutMs;
  const maxTimeoutMs = options.maxTimeoutMs ?? defaults.maxTimeoutMs;
  const defaultRetryAfterMs = options.defaultRetryAfterMs ?? defaults.defaultRetryAfterMs;
  const queueTimeoutMsFor = options.queueTimeoutMsFor ?? readQueueTimeout;
  const gates = new Map<string, DeploymentGate>();

  const gateFor = (deployment: string): DeploymentGate => {
    let gate = gates.get(deployment);
    if (gate === undefined) {
      gate = new DeploymentGate({
        deployment,
        maxConcurrent: options.deployments?.[deployment]?.maxConcurrent ?? options.defaultMaxConcurrent,
        maxQueueDepth: options.maxQueueDepth ?? defaults.maxQueueDepth,
        agingMs: options.agingMs ?? defaults.agingMs,
        clock,
        onQueued: options.onQueued,
        onDequeued: options.onDequeued,
      });
      gates.set(deployment, gate);
    }
    return gate;
  };

  /** How long a 429 asks to wait, in ms. */
  const holdMsOf = (refused: GatewayError): number =>
    Math.max(minimumHoldMs, refused.retryAfterSeconds === undefined ? defaultRetryAfterMs : refused.retryAfterSeconds * 1000);

  const capacityError = (deployment: string, gate: DeploymentGate): GatewayError => {
    const heldMs = gate.pausedUntil - clock.now();
    const message = `The deployment ${deployment} is at capacity and no slot freed within the queue timeout.`;
    return new GatewayError('upstream_rate_limited', message, heldMs > 0 ? { retryAfterSeconds: heldMs / 1000 } : {});
  };

  return (next) => async (call) => {
    const deployment = `${call.provider}/${call.model}`;
    const gate = gateFor(deployment);
    const budgetMs = Math.min(Math.max(0, queueTimeoutMsFor(call) ?? defaultTimeoutMs), maxTimeoutMs);
    const deadline = clock.now() + budgetMs;
    let refusal: GatewayError | undefined;
    for (;;) {
      if (!gate.tryEnter()) await gate.wait(call, deadline, () => refusal ?? capacityError(deployment, gate));
      let output: AttemptOutput;
      try {
        output = await next(call);
      } catch (thrown) {
        if (!isGatewayError(thrown) || thrown.code !== 'upstream_rate_limited') {
          gate.leave('failure');
          throw thrown;
        }
        const holdMs = holdMsOf(thrown);
        // The provider's own 429 carries its status; the deployment limiter's local refusal has none.
        gate.leaveRateLimited(holdMs, thrown.upstreamStatus !== undefined);
        if (clock.now() + holdMs > deadline || call.signal.aborted) throw thrown;
        refusal = thrown;
        continue;
      }
      if (output.type === 'result') {
        gate.leave('success');
        return output;
      }
      // A stream holds its slot until it ends, however it ends.
      return { type: 'stream', events: watchStream(output.events, () => gate.leave('success')) };
    }
  };
};
