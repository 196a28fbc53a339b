import { errorCatalog, type ErrorCode, type GatewayError } from '../../core/errors/index.ts';

const isUpstreamFailureCode = (code: ErrorCode): boolean => {
  // A fault in Bulwark itself: a friendly answer would hide the bug from whoever has to fix it.
  if (code === 'internal_error') return false;
  const { status } = errorCatalog[code];
  // 429 only from upstream: a caller over its own key's limit is told so (`key_rate_limited`).
  return status >= 500 || (status === 429 && code.startsWith('upstream_'));
};

/**
 * Whether an error is the upstreams failing rather than the caller being wrong: a 5xx or 529, an upstream
 * 429, or every target having failed with at least one such failure among them. When every target
 * refused the request itself (a prompt longer than any model's context), the caller must hear why.
 */
export const isUpstreamFailure = (error: GatewayError): boolean => {
  if (error.code === 'all_targets_failed') {
    return error.attempts.length === 0 || error.attempts.some((attempt) => isUpstreamFailureCode(attempt.code));
  }
  return isUpstreamFailureCode(error.code);
};
