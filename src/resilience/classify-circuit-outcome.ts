import { isErrorCode, type ErrorCode } from '../core/errors/index.ts';

/** What an attempt's end says about the deployment's health; `ignored` is left out of the counts. */
export type CircuitOutcome = 'success' | 'failure' | 'ignored';

/**
 * Faults of the deployment, not of the request: every caller would see them. The configuration faults
 * (refused credentials, unknown model) count too: every call to the deployment will fail until the
 * config changes, and an open circuit sends traffic to the fallback without paying for the failure first.
 */
const deploymentFaults: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'upstream_server_error',
  'upstream_overloaded',
  'upstream_timeout',
  'upstream_connection_failed',
  'upstream_invalid_response',
  'upstream_stream_interrupted',
  'upstream_authentication_failed',
  'upstream_not_found',
]);

/**
 * The deployment read the request and answered as documented, only not with an answer: it is up. As in
 * Resilience4j, such an answer counts as a success, which also frees a half-open probe slot.
 */
const answeredCallerFaults: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'upstream_bad_request',
  'upstream_context_length_exceeded',
  'upstream_content_filtered',
]);

/**
 * Classifies an error code for the breaker. A rate limit means "slow down", not "broken": the adaptive
 * limiter and Retry-After deal with it, and opening the circuit would turn a brief quota limit into
 * `openMs` of no traffic at all, so it is ignored unless `countRateLimits` is set. Everything else that
 * never reached the deployment or says nothing about it (the caller leaving, Bulwark's own faults, a
 * capability the provider lacks) is ignored. A code outside the catalog comes from a stream's error
 * event: the stream broke, which is the deployment's failure.
 */
export const classifyCircuitOutcome = (code: string, countRateLimits: boolean): CircuitOutcome => {
  if (!isErrorCode(code)) return 'failure';
  if (deploymentFaults.has(code)) return 'failure';
  if (answeredCallerFaults.has(code)) return 'success';
  if (code === 'upstream_rate_limited') return countRateLimits ? 'failure' : 'ignored';
  return 'ignored';
};
