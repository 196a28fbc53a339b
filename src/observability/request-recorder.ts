import type { EventSink } from '../core/telemetry/event-sink.ts';
import type { RequestCompletedEvent } from '../core/telemetry/gateway-event.ts';
import type { RequestRecord } from '../stores/contracts.ts';
import { scoreRequestQuality } from './quality/score-request-quality.ts';

/** Maps a completed request to its request-log row. */
export const toRequestRecord = (event: RequestCompletedEvent): RequestRecord => {
  const record: RequestRecord = {
    requestId: event.requestId,
    startedAt: event.startedAt,
    endpoint: event.endpoint,
    clientFormat: event.clientFormat,
    modelRequested: event.modelRequested,
    stream: event.stream,
    status: event.status,
    inputTokens: event.usage.inputTokens,
    outputTokens: event.usage.outputTokens,
    cachedInputTokens: event.usage.cachedInputTokens ?? 0,
    cacheWriteInputTokens: event.usage.cacheWriteInputTokens ?? 0,
    reasoningTokens: event.usage.reasoningTokens ?? 0,
    costUsd: event.costUsd,
    latencyMs: Math.round(event.latencyMs * 1000) / 1000,
    attempts: event.attempts,
  };
  if (event.keyId !== undefined) record.keyId = event.keyId;
  if (event.endUser !== undefined) record.endUser = event.endUser;
  if (event.provider !== undefined) record.provider = event.provider;
  if (event.upstreamModel !== undefined) record.upstreamModel = event.upstreamModel;
  if (event.errorCode !== undefined) record.errorCode = event.errorCode;
  if (event.finishReason !== undefined) record.finishReason = event.finishReason;
  if (event.timeToFirstTokenMs !== undefined) record.timeToFirstTokenMs = Math.round(event.timeToFirstTokenMs * 1000) / 1000;
  if (event.attemptFailures.length > 0) record.attemptFailures = [...event.attemptFailures];
  const qualitySignals = copySignals(event.quality);
  if (qualitySignals !== undefined) record.qualitySignals = qualitySignals;
  const qualityScore = scoreRequestQuality(event);
  if (qualityScore !== undefined) record.qualityScore = qualityScore;
  if (event.requestBody !== undefined) record.requestBody = event.requestBody;
  if (event.responseBody !== undefined) record.responseBody = event.responseBody;
  return record;
};

/** A copy of the signals without empty parts; undefined when nothing was observed. */
const copySignals = (quality: RequestCompletedEvent['quality']): RequestRecord['qualitySignals'] => {
  if (quality === undefined) return undefined;
  const copy: NonNullable<RequestRecord['qualitySignals']> = {};
  if (quality.validation !== undefined) copy.validation = quality.validation;
  if (quality.flags !== undefined && quality.flags.length > 0) copy.flags = [...quality.flags];
  return copy.validation === undefined && copy.flags === undefined ? undefined : copy;
};

/** Feeds every completed request into the request log's batching writer (an O(1) push, off the hot path). */
export const subscribeRequestRecorder = (events: EventSink, writer: { record(record: RequestRecord): void }): (() => void) =>
  events.subscribe('request-completed', (event) => writer.record(toRequestRecord(event)));
