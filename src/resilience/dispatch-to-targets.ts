import { GatewayError, toGatewayError, type AttemptFailure, type GatewayErrorOptions } from '../core/errors/index.ts';
import type { RequestContext } from '../core/pipeline/request-context.ts';
import type { EventSink } from '../core/telemetry/event-sink.ts';
import type { RouteTarget } from '../routing/model-router.ts';

export interface DispatchOptions<Output> {
  context: Pick<RequestContext, 'requestId' | 'signal' | 'attemptFailures' | 'attempts' | 'servedBy'>;
  targets: readonly RouteTarget[];
  events: EventSink;
  attempt: (target: RouteTarget) => Promise<Output>;
}

/**
 * Tries the route's targets in order until one answers. A target's failure moves on to the next only
 * when its error allows fallback (the catalog says which); every failed attempt is kept on the context
 * and published. One target failing gives its own error; several give `all_targets_failed`, listing
 * every attempt. A caller that has gone away stops the loop.
 */
export const dispatchToTargets = async <Output>({ context, targets, events, attempt }: DispatchOptions<Output>): Promise<Output> => {
  let lastError: GatewayError | undefined;
  for (const target of targets) {
    context.attempts += 1;
    context.servedBy = { provider: target.provider.name, model: target.model, price: target.price };
    try {
      return await attempt(target);
    } catch (thrown) {
      if (context.signal.aborted) throw new GatewayError('client_closed_request', 'The client closed the request.', { cause: thrown });
      const error = toGatewayError(thrown);
      const failure: AttemptFailure = { provider: target.provider.name, model: target.model, code: error.code, message: error.message };
      if (error.upstreamStatus !== undefined) failure.upstreamStatus = error.upstreamStatus;
      context.attemptFailures.push(failure);
      events.publish({ type: 'attempt-failed', requestId: context.requestId, failure });
      lastError = error;
      if (!error.spec.fallback) break;
    }
  }
  if (lastError === undefined) throw new GatewayError('model_not_found', 'The model has no usable target.');
  if (context.attemptFailures.length <= 1) throw lastError;
  const summary = context.attemptFailures.map((failure) => `${failure.provider}/${failure.model}: ${failure.code}`).join('; ');
  const options: GatewayErrorOptions = { attempts: [...context.attemptFailures] };
  if (lastError.retryAfterSeconds !== undefined) options.retryAfterSeconds = lastError.retryAfterSeconds;
  throw new GatewayError('all_targets_failed', `Every target failed (${summary}).`, options);
};
