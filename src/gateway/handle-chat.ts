import { GatewayError, toGatewayError, type AttemptFailure } from '../core/errors/index.ts';
import type { ChatRequest, ChatResult, StreamEvent, TokenUsage } from '../core/model/index.ts';
import { composeStages } from '../core/pipeline/compose-stages.ts';
import type { GatewayResponse } from '../core/pipeline/gateway-response.ts';
import type { RequestContext } from '../core/pipeline/request-context.ts';
import type { RequestStartedEvent } from '../core/telemetry/gateway-event.ts';
import { estimateUsage } from '../cost/count-tokens.ts';
import type { WireFormat } from '../formats/wire-format.ts';
import { meterStream, type StreamOutcome } from '../observability/stream-meter.ts';
import { dispatchToTargets } from '../resilience/dispatch-to-targets.ts';
import { buildCompletedEvent, statusOfCode, type Completion, type ContextFacts } from './completed-event.ts';
import { headerValue, servedHeaders, type GatewayRuntime, type IncomingCall } from './gateway-runtime.ts';

export type ChatResponse =
  | { type: 'result'; result: ChatResult; request: ChatRequest; headers: Record<string, string> }
  | { type: 'stream'; events: AsyncIterable<StreamEvent>; request: ChatRequest; headers: Record<string, string> };

/** A failed call, with the headers the caller should still get (request id, who was tried). */
export class CallFailure extends Error {
  override name = 'CallFailure';
  readonly error: GatewayError;
  readonly headers: Record<string, string>;
  constructor(error: GatewayError, headers: Record<string, string>) {
    super(error.message, { cause: error });
    this.error = error;
    this.headers = headers;
  }
}

const dispatchChat = (runtime: GatewayRuntime) => (context: RequestContext): Promise<GatewayResponse> => {
  const route = runtime.router.resolve(context.request.model);
  if (route === undefined || route.kind === 'embeddings') {
    throw new GatewayError('model_not_found', `The model "${context.request.model}" does not exist or is not a chat model.`, { param: 'model' });
  }
  const targets = runtime.reliability.order(route, context.request.stream);
  return dispatchToTargets({
    context,
    targets,
    events: runtime.events,
    attempt: (target) => runtime.reliability.attempt(context, route, targets, targets.indexOf(target)),
  });
};

const streamCompletion = (outcome: StreamOutcome, usage: TokenUsage): Completion => {
  const error = outcome.error ?? (outcome.abandoned ? { code: 'client_closed_request' } : undefined);
  const completion: Completion = { status: error === undefined ? 200 : statusOfCode(error.code), usage };
  if (error !== undefined) completion.error = error;
  if (outcome.finishReason !== undefined) completion.finishReason = outcome.finishReason;
  if (outcome.timeToFirstTokenMs !== undefined) completion.timeToFirstTokenMs = outcome.timeToFirstTokenMs;
  completion.responseBody = outcome.generatedText;
  return completion;
};

/**
 * Records a finished stream. A stream cut off before its usage event is still billed: what was sent
 * and generated is estimated, which first loads the tokenizer (so only then is recording deferred).
 */
const recordStream = (outcome: StreamOutcome, request: ChatRequest, record: (completion: Completion) => void): Promise<void> | undefined => {
  if (outcome.usage !== undefined) {
    record(streamCompletion(outcome, outcome.usage));
    return undefined;
  }
  return estimateUsage(request.messages, outcome.generatedText).then(
    (usage) => record(streamCompletion(outcome, usage)),
    () => record(streamCompletion(outcome, { inputTokens: 0, outputTokens: 0 })),
  );
};

/** Tells tracing a request arrived, with the caller's trace context. */
const publishRequestStarted = (runtime: GatewayRuntime, call: IncomingCall, startedAt: number): void => {
  const event: RequestStartedEvent = { type: 'request-started', requestId: call.requestId, startedAt, endpoint: call.endpoint };
  const traceparent = headerValue(call.headers, 'traceparent');
  const tracestate = headerValue(call.headers, 'tracestate');
  if (traceparent !== undefined) event.traceparent = traceparent;
  if (tracestate !== undefined) event.tracestate = tracestate;
  runtime.events.publish(event);
};

/**
 * Runs one chat call through the stage onion and records it exactly once: a result when it returns, a
 * failure when it throws, a stream when the stream ends — finished, failed, cut off or abandoned.
 * `onRecorded` runs right after that record.
 */
export const handleChat = async (runtime: GatewayRuntime, format: WireFormat, call: IncomingCall, onRecorded: () => void = () => {}): Promise<ChatResponse> => {
  const facts: ContextFacts = {
    requestId: call.requestId, startedAt: Date.now(), startedAtMonotonic: performance.now(), endpoint: call.endpoint,
    clientFormat: format.name, attempts: 0, attemptFailures: [] as AttemptFailure[],
  };
  if (runtime.events.hasSubscribers('request-started')) publishRequestStarted(runtime, call, facts.startedAt);
  let decoded: ChatRequest | undefined;
  let context: RequestContext | undefined;
  const record = (completion: Completion): void => {
    const event = buildCompletedEvent(context ?? facts, decoded, completion);
    // Bodies may hold personal data: kept only when the config asks for them.
    if (runtime.config.requestLog.storeBodies) {
      if (call.body !== undefined) event.requestBody = JSON.stringify(call.body);
      if (completion.responseBody !== undefined) event.responseBody = completion.responseBody;
    }
    runtime.events.publish(event);
    onRecorded();
  };
  try {
    if (call.bodyError !== undefined) throw call.bodyError;
    decoded = format.decodeRequest(call.body);
    const endUser = decoded.user ?? headerValue(call.headers, runtime.config.server.endUserHeader);
    context = { ...facts, headers: call.headers, signal: call.signal, request: decoded, ...(endUser === undefined ? {} : { endUser }) };
    const response = await composeStages(runtime.stages, dispatchChat(runtime))(context);
    const headers = servedHeaders(call.requestId, context.servedBy, context.attempts, context.degraded);
    if (response.type === 'result') {
      const completion: Completion = { status: 200, usage: response.result.usage, finishReason: response.result.finishReason };
      if (runtime.config.requestLog.storeBodies) completion.responseBody = JSON.stringify(response.result);
      record(completion);
      return { type: 'result', result: response.result, request: context.request, headers };
    }
    const request = context.request;
    const events = meterStream(response.events, facts.startedAtMonotonic, (outcome) => recordStream(outcome, request, record));
    return { type: 'stream', events, request, headers };
  } catch (thrown) {
    const error = toGatewayError(thrown);
    record({ status: error.status, usage: { inputTokens: 0, outputTokens: 0 }, error });
    throw new CallFailure(error, servedHeaders(call.requestId, context?.servedBy, context?.attempts ?? 0));
  }
};
