import type { ErrorCode } from '../../core/errors/index.ts';

/** Anthropic words a too-long prompt several ways over the years; all of them mean the same. */
const contextLengthPattern = /prompt is too long|exceeds? (the )?(model'?s? )?context (window|limit|length)|context (window|length) (limit )?exceeded|too many (input )?tokens/i;

/** Billing trouble is Bulwark's account, not the caller's request: another target may serve it. */
const billingPattern = /credit balance is too low|billing/i;

/**
 * The catalog code for an Anthropic `error.type`
 * (https://platform.claude.com/docs/en/api/errors#http-errors). The same types arrive in non-streamed
 * error bodies and in a stream's `event: error`. Unknown types return undefined, so the caller falls
 * back to the HTTP status.
 */
export const mapAnthropicErrorType = (type: string, message: string): ErrorCode | undefined => {
  switch (type) {
    case 'invalid_request_error':
      if (contextLengthPattern.test(message)) return 'upstream_context_length_exceeded';
      if (billingPattern.test(message)) return 'upstream_authentication_failed';
      return 'upstream_bad_request';
    case 'request_too_large':
      return 'upstream_bad_request';
    case 'authentication_error':
    case 'permission_error':
    case 'billing_error':
      return 'upstream_authentication_failed';
    case 'not_found_error':
      return 'upstream_not_found';
    case 'rate_limit_error':
      return 'upstream_rate_limited';
    case 'overloaded_error':
      return 'upstream_overloaded';
    case 'timeout_error':
      return 'upstream_timeout';
    case 'api_error':
      return 'upstream_server_error';
    default:
      return undefined;
  }
};
