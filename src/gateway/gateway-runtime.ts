import type { GatewayError } from '../core/errors/index.ts';
import type { Config } from '../config/config-schema.ts';
import type { EventSink } from '../core/telemetry/event-sink.ts';
import type { ModelRouter } from '../routing/model-router.ts';
import type { Authenticator } from '../stages/auth/authenticator.ts';
import type { Stage } from '../core/pipeline/stage.ts';
import type { Reliability } from './create-reliability.ts';

/**
 * Everything a request needs from the gateway, as of one config generation. A reload builds a new
 * runtime and swaps it in; requests in flight keep the runtime they started with.
 */
export interface GatewayRuntime {
  readonly config: Config;
  readonly router: ModelRouter;
  readonly authenticator: Authenticator;
  readonly events: EventSink;
  readonly stages: readonly Stage[];
  readonly reliability: Reliability;
}

/** Request headers as Node gives them: lower-cased names. */
export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What the server hands the gateway for one call. */
export interface IncomingCall {
  requestId: string;
  endpoint: string;
  headers: IncomingHeaders;
  /** The parsed JSON body. */
  body: unknown;
  /** Set instead of `body` when the body could not be parsed: the gateway records the call and throws it. */
  bodyError?: GatewayError;
  /** Aborted when the caller disconnects. */
  signal: AbortSignal;
}

/** Headers that tell the caller who served the request. */
export const servedHeaders = (
  requestId: string,
  servedBy: { provider: string; model: string } | undefined,
  attempts: number,
  degraded?: { reason: string },
): Record<string, string> => {
  const headers: Record<string, string> = { 'x-request-id': requestId };
  if (degraded !== undefined) headers['x-bulwark-degraded'] = 'true';
  if (servedBy !== undefined) {
    headers['x-bulwark-provider'] = servedBy.provider;
    headers['x-bulwark-model'] = servedBy.model;
  }
  if (attempts > 0) headers['x-bulwark-attempts'] = String(attempts);
  return headers;
};

/** A header's single value: the first when repeated, undefined when empty. */
export const headerValue = (headers: IncomingHeaders, name: string): string | undefined => {
  const value = headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === '' ? undefined : single;
};
