import type { AttemptFailure } from '../errors/index.ts';
import type { TokenUsage } from '../model/index.ts';

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
  /** Present only when the config asks for bodies to be stored. */
  requestBody?: string;
  responseBody?: string;
}

/** One try at one target failed; dispatch may go on to the next. */
export interface AttemptFailedEvent {
  type: 'attempt-failed';
  requestId: string;
  failure: AttemptFailure;
}

export type GatewayEvent = RequestCompletedEvent | AttemptFailedEvent;
export type GatewayEventType = GatewayEvent['type'];
