import { GatewayError, toGatewayError, type AttemptFailure } from '../core/errors/index.ts';
import type { EmbeddingRequest, EmbeddingResult } from '../core/model/index.ts';
import type { Principal, ServedBy } from '../core/pipeline/request-context.ts';
import type { EmbeddingWireFormat } from '../formats/wire-format.ts';
import { dispatchToTargets } from '../resilience/dispatch-to-targets.ts';
import { authorizeModel } from '../stages/auth/authenticator.ts';
import { buildCompletedEvent, type ContextFacts } from './completed-event.ts';
import { CallFailure } from './handle-chat.ts';
import { headerValue, servedHeaders, type GatewayRuntime, type IncomingCall } from './gateway-runtime.ts';

export interface EmbeddingsResponse {
  result: EmbeddingResult;
  request: EmbeddingRequest;
  headers: Record<string, string>;
}

/** Runs one embeddings call: authenticate, route, dispatch with fallback, record exactly once (then `onRecorded`). */
export const handleEmbeddings = async (
  runtime: GatewayRuntime,
  format: EmbeddingWireFormat,
  call: IncomingCall,
  onRecorded: () => void = () => {},
): Promise<EmbeddingsResponse> => {
  const context: ContextFacts & { signal: AbortSignal; principal?: Principal; servedBy?: ServedBy } = {
    requestId: call.requestId, startedAt: Date.now(), startedAtMonotonic: performance.now(), endpoint: call.endpoint,
    clientFormat: 'openai-embeddings', attempts: 0, attemptFailures: [] as AttemptFailure[], signal: call.signal,
  };
  let model = '';
  try {
    if (call.bodyError !== undefined) throw call.bodyError;
    const request = format.decodeRequest(call.body);
    model = request.model;
    const endUser = request.user ?? headerValue(call.headers, runtime.config.server.endUserHeader);
    if (endUser !== undefined) context.endUser = endUser;
    context.principal = await runtime.authenticator.authenticate(call.headers);
    authorizeModel(context.principal, request.model);
    const route = runtime.router.resolve(request.model);
    if (route === undefined || route.kind === 'chat') {
      throw new GatewayError('model_not_found', `The model "${request.model}" does not exist or is not an embeddings model.`, { param: 'model' });
    }
    const result = await dispatchToTargets({
      context,
      targets: route.targets,
      events: runtime.events,
      attempt: (target) => target.provider.embed({ request, model: target.model, signal: call.signal, requestId: call.requestId }),
    });
    const usage = { inputTokens: result.usage.inputTokens, outputTokens: 0 };
    runtime.events.publish(buildCompletedEvent(context, { model, stream: false }, { status: 200, usage }));
    onRecorded();
    return { result, request, headers: servedHeaders(call.requestId, context.servedBy, context.attempts) };
  } catch (thrown) {
    const error = toGatewayError(thrown);
    runtime.events.publish(buildCompletedEvent(context, { model, stream: false }, { status: error.status, usage: { inputTokens: 0, outputTokens: 0 }, error }));
    onRecorded();
    throw new CallFailure(error, servedHeaders(call.requestId, context.servedBy, context.attempts));
  }
};
