import type { ErrorCode } from '../../core/errors/index.ts';
import { classifyUpstreamStatus } from '../shared/classify-upstream-status.ts';

/**
 * Bedrock's error types in canonical codes. The same names arrive as the `x-amzn-errortype` header of
 * an HTTP error (`ThrottlingException:http://internal.amazon.com/coral/...`), as `__type` in some
 * bodies (`com.amazonaws.bedrockruntime#ThrottlingException`) and, camel-cased, as the
 * `:exception-type` of a ConverseStream exception frame (`throttlingException`).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
 * https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html
 */
const codesByType: Record<string, ErrorCode> = {
  throttlingexception: 'upstream_rate_limited',
  servicequotaexceededexception: 'upstream_rate_limited',
  serviceunavailableexception: 'upstream_overloaded',
  modelnotreadyexception: 'upstream_overloaded',
  modeltimeoutexception: 'upstream_timeout',
  accessdeniedexception: 'upstream_authentication_failed',
  unrecognizedclientexception: 'upstream_authentication_failed',
  invalidsignatureexception: 'upstream_authentication_failed',
  expiredtokenexception: 'upstream_authentication_failed',
  resourcenotfoundexception: 'upstream_not_found',
  modelerrorexception: 'upstream_server_error',
  modelstreamerrorexception: 'upstream_server_error',
  internalserverexception: 'upstream_server_error',
  internalfailure: 'upstream_server_error',
  conflictexception: 'upstream_bad_request',
};

/**
 * Bedrock words an over-long prompt as a ValidationException, e.g. "Input is too long for requested
 * model." or, passing on Anthropic's, "prompt is too long: 215000 tokens > 200000 maximum". A
 * complaint about `maxTokens` alone (the output limit) stays a plain bad request.
 */
const contextLengthPattern = /(input|prompt) is too long|too many (input )?tokens|context (length|window)|exceeds? the (maximum )?context|input.{0,40}max(imum)? tokens/i;

/** The bare type name: no `namespace#` prefix, no `:http://...` suffix, lower case. */
export const normalizeBedrockErrorType = (errorType: string): string => {
  const withoutNamespace = errorType.slice(errorType.lastIndexOf('#') + 1);
  const colon = withoutNamespace.indexOf(':');
  return (colon === -1 ? withoutNamespace : withoutNamespace.slice(0, colon)).trim().toLowerCase();
};

/** Classifies a Bedrock error by its type, its message, and the HTTP status when there is one. */
export const mapBedrockErrorType = (errorType: string | undefined, message: string, status?: number): ErrorCode => {
  const type = errorType === undefined ? '' : normalizeBedrockErrorType(errorType);
  if (type === 'validationexception' || (type === '' && status === 400)) {
    return contextLengthPattern.test(message) ? 'upstream_context_length_exceeded' : 'upstream_bad_request';
  }
  const code = Object.hasOwn(codesByType, type) ? codesByType[type] : undefined;
  if (code !== undefined) return code;
  return status === undefined ? 'upstream_server_error' : classifyUpstreamStatus(status);
};
