import { isGatewayError } from '../../core/errors/index.ts';
import type { AttemptOutput, CallInterceptor } from '../../core/pipeline/call-interceptor.ts';
import { deploymentKey } from './deployment-key.ts';
import type { LatencyTracker } from './latency-tracker.ts';
import { watchStream } from '../../core/pipeline/watch-stream.ts';

/**
 * Feeds a LatencyTracker from every attempt: in flight from the call until the answer (for a stream,
 * until it ends, is abandoned or fails); latency of whole answers and of finished streams; time to first
 * token when a stream starts (`Provider.stream` resolves on the first event). Place it outside the
 * timeout interceptor, so that a timeout counts as the slowness it is. Other failures say nothing
 * about speed and are not observed. `now` is a monotonic clock in milliseconds.
 */
export const trackLatency =
  (tracker: LatencyTracker, now: () => number = () => performance.now()): CallInterceptor =>
  (next) =>
  async (call) => {
    const deployment = deploymentKey(call.provider, call.model);
    const startedAt = now();
    tracker.begin(deployment);
    let output: AttemptOutput;
    try {
      output = await next(call);
    } catch (thrown) {
      tracker.end(deployment);
      if (isGatewayError(thrown) && thrown.code === 'upstream_timeout' && !call.signal.aborted) {
        tracker.observe(deployment, { latencyMs: now() - startedAt });
      }
      throw thrown;
    }
    if (output.type === 'result') {
      tracker.end(deployment);
      tracker.observe(deployment, { latencyMs: now() - startedAt });
      return output;
    }
    tracker.observe(deployment, { timeToFirstTokenMs: now() - startedAt });
    const events = watchStream(output.events, ({ ending }) => {
      tracker.end(deployment);
      if (ending === 'done') tracker.observe(deployment, { latencyMs: now() - startedAt });
    });
    return { type: 'stream', events };
  };
