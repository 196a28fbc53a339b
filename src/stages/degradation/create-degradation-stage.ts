import { toGatewayError } from '../../core/errors/index.ts';
import type { Stage } from '../../core/pipeline/stage.ts';
import { degradedResponse } from './degraded-response.ts';
import type { DegradationOptions } from './degradation-options.ts';
import { isUpstreamFailure } from './is-upstream-failure.ts';

/**
 * Graceful degradation: when the upstreams fail (see `isUpstreamFailure`), answers with the configured
 * message as an ordinary answer instead of an error, and marks the context (`context.degraded`) so the
 * response says so (`x-bulwark-degraded: true`) and the log keeps the real failure: the failed attempts
 * stay on the context. Caller errors pass through, and so does anything once the caller has gone.
 *
 * Place it outside everything that can fail upstream (dispatch, output validation, the response cache)
 * and inside auth and admission, whose errors are the caller's to see.
 */
export const createDegradationStage = (options: DegradationOptions): Stage => ({
  name: 'degradation',
  async run(context, next) {
    if (!options.enabled) return next();
    try {
      return await next();
    } catch (thrown) {
      const error = toGatewayError(thrown);
      if (context.signal.aborted || !isUpstreamFailure(error)) throw thrown;
      context.degraded = { reason: error.code };
      const { requestId, request } = context;
      return degradedResponse({ requestId, model: request.model, message: options.message, stream: request.stream });
    }
  },
});
