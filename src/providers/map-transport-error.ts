import { GatewayError, isGatewayError } from '../core/errors/index.ts';

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

const errorCode = (error: unknown): string | undefined => {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
};

/**
 * What the caller's abort means: the resilience layer aborts with a GatewayError (e.g. its timeout),
 * which is rethrown as it is; any other reason is the client going away.
 */
export const abortError = (signal: AbortSignal): GatewayError =>
  isGatewayError(signal.reason)
    ? signal.reason
    : new GatewayError('client_closed_request', 'The caller closed the request; the upstream call was cancelled', {
        cause: signal.reason,
      });

/**
 * Classifies a failure of the HTTP exchange itself (no usable answer from the provider). The message
 * names the provider and the low-level code only: never a URL query, a header or a body.
 */
export const mapTransportError = (error: unknown, signal: AbortSignal, provider: string): GatewayError => {
  if (signal.aborted) return abortError(signal);
  if (isGatewayError(error)) return error;
  const code = errorCode(error);
  if (code !== undefined && timeoutCodes.has(code)) {
    return new GatewayError('upstream_timeout', `Provider "${provider}" did not answer in time (${code})`, { cause: error });
  }
  const detail = code === undefined ? '' : ` (${code})`;
  return new GatewayError('upstream_connection_failed', `The connection to provider "${provider}" failed${detail}`, {
    cause: error,
  });
};
