import type { AttemptFailure } from '../errors/index.ts';
import type { TokenUsage } from '../model/index.ts';
import type { QualitySignals } from '../pipeline/request-context.ts';

/** A request has finished: answered, failed, or its stream ended (cleanly, with an error, or cut off). */
export interface RequestCompletedEvent {
  type: 'request-completed';
  requestId: string;
  startedAt: number;
  endpoint: string;
  clientFormat: string;
  keyId?: string;
  endUser?: string;
  modelRequested: string;
  provider?: string;
  upstreamModel?: string;
  stream: boolean;
  status: number;
  errorCode?: string;
  finishReason?: string;
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
  timeToFirstTokenMs?: number;
  attempts: number;
  attemptFailures: AttemptFailure[];
  /** What the stages observed about the answer's quality (validation verdict, flags); absent when nothing was. */
  quality?: QualitySignals;
  /** Present only when the config asks for bodies to be stored. */
  requestBody?: string;
  responseBody?: string;
}

/**
 * A chat request arrived. Published only when someone listens (tracing), so it costs nothing otherwise.
 * Carries the caller's W3C trace context, if any, so the request's span can continue the caller's trace.
 */
export interface RequestStartedEvent {
  type: 'request-started';
  requestId: string;
  /** Epoch ms at arrival, the same instant as the completed event's `startedAt`. */
  startedAt: number;
  endpoint: string;
  traceparent?: string;
  tracestate?: string;
}

/**
 * One try at one deployment is about to call the provider (each retry is a try of its own). Published
 * only when someone listens. Listeners may add trace-context headers (`traceparent`) to `headers`: they
 * are sent upstream, as undici lets APMs add headers from its diagnostics channel.
 */
export interface AttemptStartedEvent {
  type: 'attempt-started';
  requestId: string;
  /** Unique in this process; the matching `attempt-ended` carries the same id. */
  attemptId: number;
  provider: string;
  providerType: string;
  model: string;
  stream: boolean;
  headers: Record<string, string>;
}

/**
 * The provider call of a try settled: `answered` with a result, `streaming` once a stream started (it
 * then ends with its request's `request-completed`), or `failed`.
 */
export interface AttemptEndedEvent {
  type: 'attempt-ended';
  requestId: string;
  attemptId: number;
  outcome: 'answered' | 'streaming' | 'failed';
  errorCode?: string;
  upstreamStatus?: number;
  responseId?: string;
  responseModel?: string;
  finishReason?: string;
  usage?: TokenUsage;
}

/** One try at one target failed; dispatch may go on to the next. */
export interface AttemptFailedEvent {
  type: 'attempt-failed';
  requestId: string;
  failure: AttemptFailure;
}

/** A failed try will be tried again at the same target after `delayMs`. */
export interface AttemptRetriedEvent {
  type: 'attempt-retried';
  requestId: string;
  provider: string;
  model: string;
  code: string;
  delayMs: number;
}

/** This process saw a deployment's (`provider/model`) circuit change phase. */
export interface CircuitStateChangedEvent {
  type: 'circuit-state-changed';
  deployment: string;
  from: 'closed' | 'open' | 'half-open';
  to: 'closed' | 'open' | 'half-open';
}

/** A call started waiting for a slot at a deployment; `depth` counts the waiters, this one included. */
export interface CallQueuedEvent {
  type: 'call-queued';
  deployment: string;
  depth: number;
}

/** A call stopped waiting; `depth` counts the waiters left. */
export interface CallDequeuedEvent {
  type: 'call-dequeued';
  deployment: string;
  depth: number;
  waitMs: number;
  outcome: 'admitted' | 'expired' | 'aborted';
}

export type GatewayEvent =
  | RequestStartedEvent
  | AttemptStartedEvent
  | AttemptEndedEvent
  | RequestCompletedEvent
  | AttemptFailedEvent
  | AttemptRetriedEvent
  | CircuitStateChangedEvent
  | CallQueuedEvent
  | CallDequeuedEvent;
export type GatewayEventType = GatewayEvent['type'];
