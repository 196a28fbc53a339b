import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type BufferConfig, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TokenUsage } from '../../core/model/index.ts';
import type { EventSink } from '../../core/telemetry/event-sink.ts';
import type { AttemptEndedEvent, AttemptStartedEvent, RequestCompletedEvent, RequestStartedEvent } from '../../core/telemetry/gateway-event.ts';
import { scoreRequestQuality } from '../quality/score-request-quality.ts';
import { bulwarkAttributes, genAi, genAiProviderName } from './gen-ai-attributes.ts';

export interface TracingOptions {
  serviceName: string;
  /** Share of new traces recorded; a caller's sampled flag is followed. */
  sampleRatio: number;
  exporter: SpanExporter;
  /** Batching of exports (defaults: OpenTelemetry's, 5 s delay, 512 spans a batch). */
  batch?: BufferConfig;
}

export interface Tracing {
  /** Exports the spans ended so far. */
  flush(): Promise<void>;
  /** Stops listening, ends spans still open, exports what is left. */
  close(): Promise<void>;
}

interface RequestTrace {
  span: Span;
  attempts: Map<number, Span>;
}

const propagator = new W3CTraceContextPropagator();

/**
 * Traces one gateway's chat requests from its events: a server span per request (`chat {model}`), a
 * client span per provider attempt, with GenAI semantic-convention attributes. An attempt's span
 * context goes upstream as `traceparent`. Created only when tracing is enabled, so with tracing off
 * nobody listens to the start events and the gateway does not even build them.
 *
 * Requests are matched by request id. A caller may choose its id (`x-request-id`): a second request
 * arriving with the id of one still in flight is not traced rather than mixed into the other's trace.
 */
export const createTracing = (events: EventSink, options: TracingOptions): Tracing => {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor(options.exporter, options.batch)],
  });
  const tracer = provider.getTracer('bulwark');
  const inFlight = new Map<string, RequestTrace>();

  const unsubscribers = [
    events.subscribe('request-started', (event) => {
      if (!inFlight.has(event.requestId)) inFlight.set(event.requestId, startRequestSpan(tracer, event));
    }),
    events.subscribe('attempt-started', (event) => {
      const request = inFlight.get(event.requestId);
      if (request !== undefined) request.attempts.set(event.attemptId, startAttemptSpan(tracer, request.span, event));
    }),
    events.subscribe('attempt-ended', (event) => {
      const request = inFlight.get(event.requestId);
      const span = request?.attempts.get(event.attemptId);
      if (request === undefined || span === undefined) return;
      endAttemptSpan(span, event);
      // A stream's attempt lasts until the stream ends, with its request.
      if (event.outcome !== 'streaming') request.attempts.delete(event.attemptId);
    }),
    events.subscribe('request-completed', (event) => {
      const request = inFlight.get(event.requestId);
      if (request === undefined) return;
      inFlight.delete(event.requestId);
      endRequestSpan(request, event);
    }),
  ];

  return {
    flush: () => provider.forceFlush(),
    async close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      for (const request of inFlight.values()) {
        for (const span of request.attempts.values()) span.end();
        request.span.end();
      }
      inFlight.clear();
      await provider.shutdown();
    },
  };
};

const startRequestSpan = (tracer: Tracer, event: RequestStartedEvent): RequestTrace => {
  const carrier: Record<string, string> = {};
  if (event.traceparent !== undefined) carrier.traceparent = event.traceparent;
  if (event.tracestate !== undefined) carrier.tracestate = event.tracestate;
  // An invalid traceparent is ignored by the propagator: the request starts a new trace.
  const parent = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  const attributes: Attributes = { [genAi.operationName]: 'chat', [bulwarkAttributes.requestId]: event.requestId, [bulwarkAttributes.endpoint]: event.endpoint };
  // Named `chat` until the model is known; renamed `chat {model}` when the request completes.
  const span = tracer.startSpan('chat', { kind: SpanKind.SERVER, startTime: event.startedAt, attributes }, parent);
  return { span, attempts: new Map() };
};

const startAttemptSpan = (tracer: Tracer, parent: Span, event: AttemptStartedEvent): Span => {
  const attributes: Attributes = {
    [genAi.operationName]: 'chat',
    [genAi.providerName]: genAiProviderName(event.providerType),
    [genAi.requestModel]: event.model,
    [bulwarkAttributes.provider]: event.provider,
    [bulwarkAttributes.stream]: event.stream,
  };
  const span = tracer.startSpan(`chat ${event.model}`, { kind: SpanKind.CLIENT, attributes }, trace.setSpan(ROOT_CONTEXT, parent));
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), event.headers, defaultTextMapSetter);
  return span;
};

const setUsage = (span: Span, usage: TokenUsage): void => {
  span.setAttribute(genAi.inputTokens, usage.inputTokens);
  span.setAttribute(genAi.outputTokens, usage.outputTokens);
  if (usage.cachedInputTokens !== undefined) span.setAttribute(genAi.cacheReadInputTokens, usage.cachedInputTokens);
  if (usage.cacheWriteInputTokens !== undefined) span.setAttribute(genAi.cacheCreationInputTokens, usage.cacheWriteInputTokens);
};

const setFailure = (span: Span, code: string): void => {
  span.setAttribute(ATTR_ERROR_TYPE, code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
};

const endAttemptSpan = (span: Span, event: AttemptEndedEvent): void => {
  span.setAttribute(bulwarkAttributes.outcome, event.outcome);
  if (event.responseModel !== undefined) span.setAttribute(genAi.responseModel, event.responseModel);
  if (event.responseId !== undefined) span.setAttribute(genAi.responseId, event.responseId);
  if (event.finishReason !== undefined) span.setAttribute(genAi.responseFinishReasons, [event.finishReason]);
  if (event.usage !== undefined) setUsage(span, event.usage);
  if (event.upstreamStatus !== undefined) span.setAttribute(bulwarkAttributes.upstreamStatus, event.upstreamStatus);
  if (event.errorCode !== undefined) {
    span.setAttribute(bulwarkAttributes.errorCode, event.errorCode);
    setFailure(span, event.errorCode);
  }
  if (event.outcome !== 'streaming') span.end();
};

/** What the request's answer says, on a span: the request's own, and a stream's attempt when it ends. */
const setAnswer = (span: Span, event: RequestCompletedEvent): void => {
  if (event.upstreamModel !== undefined) span.setAttribute(genAi.responseModel, event.upstreamModel);
  if (event.finishReason !== undefined) span.setAttribute(genAi.responseFinishReasons, [event.finishReason]);
  setUsage(span, event.usage);
  if (event.errorCode !== undefined) {
    span.setAttribute(bulwarkAttributes.errorCode, event.errorCode);
    setFailure(span, event.errorCode);
  }
};

const endRequestSpan = (request: RequestTrace, event: RequestCompletedEvent): void => {
  const { span } = request;
  if (event.modelRequested !== '') {
    span.updateName(`chat ${event.modelRequested}`);
    span.setAttribute(genAi.requestModel, event.modelRequested);
  }
  if (event.provider !== undefined) span.setAttribute(bulwarkAttributes.provider, event.provider);
  if (event.keyId !== undefined) span.setAttribute(bulwarkAttributes.keyId, event.keyId);
  span.setAttribute(bulwarkAttributes.attempts, event.attempts);
  span.setAttribute(bulwarkAttributes.stream, event.stream);
  span.setAttribute('http.response.status_code', event.status);
  const quality = scoreRequestQuality(event);
  if (quality !== undefined) span.setAttribute(bulwarkAttributes.qualityScore, quality);
  if (event.quality?.validation !== undefined) span.setAttribute(bulwarkAttributes.validation, event.quality.validation);
  setAnswer(span, event);
  for (const attempt of request.attempts.values()) {
    setAnswer(attempt, event);
    attempt.end();
  }
  span.end();
};
