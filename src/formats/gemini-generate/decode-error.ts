import { GatewayError, isErrorCode, type ErrorCode } from '../../core/errors/index.ts';
import type { JsonValue } from '../../core/model/index.ts';
import { classifyUpstreamStatus, parseJsonLoosely, parseRetryAfter } from '../shared/classify-upstream-status.ts';
import { errorBodySchema, type GeminiErrorObject } from './schemas.ts';

/**
 * Classifies a Gemini error (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes): a
 * google.rpc.Status `{error: {code, message, status, details}}`. The status name refines the HTTP
 * status; `details` may hold a RetryInfo (`retryDelay: "30s"`) and an ErrorInfo (`reason`).
 */

const typePrefix = 'type.googleapis.com/google.rpc.';
/** The ErrorInfo domain under which a Bulwark in Gemini format names its own error code. */
export const bulwarkErrorDomain = 'bulwark';

type Detail = { [key: string]: JsonValue };
const isDetail = (value: JsonValue): value is Detail => typeof value === 'object' && value !== null && !Array.isArray(value);

const findDetail = (error: GeminiErrorObject, type: string): Detail | undefined =>
  error.details?.filter(isDetail).find((detail) => detail['@type'] === `${typePrefix}${type}`);

/** google.protobuf.Duration in JSON: seconds with an `s` suffix ("30s", "57.238747106s"). */
const retryDelaySeconds = (error: GeminiErrorObject): number | undefined => {
  const delay = findDetail(error, 'RetryInfo')?.['retryDelay'];
  const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match?.[1] === undefined ? undefined : Number(match[1]);
};

const contextLengthPattern = /input token count.*exceeds the maximum/i;

const classify = (status: number, error: GeminiErrorObject): ErrorCode => {
  const info = findDetail(error, 'ErrorInfo');
  const reason = info?.['reason'];
  if (info?.['domain'] === bulwarkErrorDomain && typeof reason === 'string' && isErrorCode(reason)) return reason;
  // Gemini answers a bad API key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID.
  if (typeof reason === 'string' && reason.startsWith('API_KEY_')) return 'upstream_authentication_failed';
  switch (error.status) {
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
    // "Gemini API free tier is not available in your country. Please enable billing": Bulwark's
    // account, not the caller's request, is at fault, and another provider may serve.
    case 'FAILED_PRECONDITION':
      return 'upstream_authentication_failed';
    case 'RESOURCE_EXHAUSTED':
      return 'upstream_rate_limited';
    case 'UNAVAILABLE':
      return 'upstream_overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'upstream_timeout';
    case 'NOT_FOUND':
      return 'upstream_not_found';
    case 'INTERNAL':
    case 'UNKNOWN':
      return 'upstream_server_error';
    case 'INVALID_ARGUMENT':
      return contextLengthPattern.test(error.message ?? '') ? 'upstream_context_length_exceeded' : 'upstream_bad_request';
    default:
      return classifyUpstreamStatus(status);
  }
};

/** Keys Google accepts in URLs (`key=`) or as `AIza...` never reach a message, should an error echo one. */
const redactKeys = (text: string): string =>
  text.replace(/AIza[0-9A-Za-z_-]{20,}/g, '[redacted]').replace(/([?&]key=)[^&\s"']+/g, '$1[redacted]');

export const decodeErrorObject = (status: number, error: GeminiErrorObject, headers?: Headers): GatewayError => {
  const message = error.message === undefined || error.message === '' ? `The provider answered HTTP ${status}` : redactKeys(error.message);
  const retryAfterSeconds = retryDelaySeconds(error) ?? (headers === undefined ? undefined : parseRetryAfter(headers));
  return new GatewayError(classify(status, error), message, {
    upstreamStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
};

/** Gemini's `alt=json` streams wrap errors in an array: `[{"error": {...}}]`. */
const unwrapArray = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

export const decodeError = (status: number, body: string, headers: Headers): GatewayError => {
  const parsed = errorBodySchema.safeParse(unwrapArray(parseJsonLoosely(body)));
  if (parsed.success) return decodeErrorObject(status, parsed.data.error, headers);
  const retryAfterSeconds = parseRetryAfter(headers);
  // The body is not Gemini's error JSON (an HTML page from a proxy, say): it is not passed on.
  return new GatewayError(classifyUpstreamStatus(status), `The provider answered HTTP ${status}`, {
    upstreamStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
};
