import { errorCatalog, isErrorCode, type GatewayError } from '../core/errors/index.ts';
import type { ChatRequest, Price, TokenUsage } from '../core/model/index.ts';
import type { QualitySignals, RequestContext } from '../core/pipeline/request-context.ts';
import type { RequestCompletedEvent } from '../core/telemetry/gateway-event.ts';
import { computeCost } from '../cost/price-catalog.ts';

/** The facts of a finished request that the context does not hold. */
export interface Completion {
  status: number;
  usage: TokenUsage;
  error?: GatewayError | { code: string };
  finishReason?: string;
  timeToFirstTokenMs?: number;
  /** What the caller was answered (the canonical result, or a stream's generated text); stored only when configured. */
  responseBody?: string;
}

export type ContextFacts = Pick<
  RequestContext,
  'requestId' | 'startedAt' | 'startedAtMonotonic' | 'endpoint' | 'clientFormat' | 'principal' | 'endUser' | 'servedBy' | 'attempts' | 'attemptFailures' | 'degraded' | 'quality'
>;

const costOf = (usage: TokenUsage, price: Price | undefined): number => (price === undefined ? 0 : computeCost(usage, price));

/**
 * Builds the one event from which the request log, metrics and the live feed learn about a request.
 * `request` is the caller's request as decoded (before any stage rewrote it), absent when it could not
 * be decoded.
 */
export const buildCompletedEvent = (context: ContextFacts, request: Pick<ChatRequest, 'model' | 'stream'> | undefined, completion: Completion): RequestCompletedEvent => {
  const event: RequestCompletedEvent = {
    type: 'request-completed',
    requestId: context.requestId,
    startedAt: context.startedAt,
    endpoint: context.endpoint,
    clientFormat: context.clientFormat,
    modelRequested: request?.model ?? '',
    stream: request?.stream ?? false,
    status: completion.status,
    usage: completion.usage,
    costUsd: costOf(completion.usage, context.servedBy?.price),
    latencyMs: performance.now() - context.startedAtMonotonic,
    attempts: context.attempts,
    attemptFailures: context.attemptFailures,
  };
  if (context.principal !== undefined) event.keyId = context.principal.keyId;
  if (context.endUser !== undefined) event.endUser = context.endUser;
  if (context.servedBy !== undefined) {
    event.provider = context.servedBy.provider;
    event.upstreamModel = context.servedBy.model;
  }
  if (completion.error !== undefined) event.errorCode = completion.error.code;
  if (completion.finishReason !== undefined) event.finishReason = completion.finishReason;
  if (completion.timeToFirstTokenMs !== undefined) event.timeToFirstTokenMs = completion.timeToFirstTokenMs;
  const quality = qualitySignalsOf(context);
  if (quality !== undefined) event.quality = quality;
  return event;
};

/** The stages' quality signals, with `degraded` added when the degradation stage answered (it sets `context.degraded`). */
const qualitySignalsOf = ({ quality, degraded }: Pick<ContextFacts, 'quality' | 'degraded'>): QualitySignals | undefined => {
  if (degraded === undefined) return quality;
  const flags = quality?.flags ?? [];
  return { ...quality, flags: flags.includes('degraded') ? flags : [...flags, 'degraded'] };
};

/** The HTTP status of an error code, such as one carried by a stream's error event. */
export const statusOfCode = (code: string): number => (isErrorCode(code) ? errorCatalog[code].status : 500);
