import { GatewayError, type ErrorCode, type GatewayErrorOptions } from '../../core/errors/index.ts';
import { classifyUpstreamStatus, parseJsonLoosely, parseRetryAfter } from '../shared/classify-upstream-status.ts';
import { errorDetailsSchema, type OpenaiErrorDetails } from './response-schemas.ts';

/**
 * Classifies an OpenAI-compatible error answer.
 * https://platform.openai.com/docs/guides/error-codes
 */

const contextLengthMessage = /maximum context length|context[ _]length[ _]exceeded/i;

/**
 * The catalog code for an OpenAI error object. `status` is absent for errors sent inside a stream,
 * where OpenAI's `type` is all there is to go on.
 */
export const classifyOpenaiError = (status: number | undefined, details: OpenaiErrorDetails): ErrorCode => {
  const code = details.code === null || details.code === undefined ? undefined : String(details.code);
  const type = details.type ?? undefined;
  if (code === 'context_length_exceeded' || (status === 400 && contextLengthMessage.test(details.message ?? ''))) {
    return 'upstream_context_length_exceeded';
  }
  if (code === 'content_filter' || code === 'content_policy_violation') return 'upstream_content_filtered';
  // An exhausted quota or billing limit does not lift with retries; another target may still serve.
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return 'upstream_authentication_failed';
  if (status !== undefined) return classifyUpstreamStatus(status);
  if (code === 'rate_limit_exceeded' || type === 'rate_limit_error' || type === 'tokens' || type === 'requests') {
    return 'upstream_rate_limited';
  }
  if (type === 'invalid_request_error') return 'upstream_bad_request';
  return 'upstream_server_error';
};

const secretPattern = /\b(?:sk|rk|pk|key)-[A-Za-z0-9_*.-]{4,}/g;
const maxMessageLength = 1000;

/** Provider messages can quote Bulwark's own upstream key ("Incorrect API key provided: sk-ab***yz"). */
export const redactSecrets = (message: string): string => {
  const redacted = message.replace(secretPattern, '[redacted]');
  return redacted.length > maxMessageLength ? `${redacted.slice(0, maxMessageLength)}…` : redacted;
};

/**
 * Finds the error object in a parsed body: `{error: {...}}` (OpenAI), `[{error: {...}}]` (Gemini's
 * OpenAI-compatible endpoint), `{error: "text"}` or `{message: "text"}` (assorted compatible servers).
 */
export const findErrorDetails = (body: unknown): OpenaiErrorDetails | undefined => {
  const candidate = Array.isArray(body) ? body[0] : body;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const error: unknown = Reflect.get(candidate, 'error');
  if (typeof error === 'string') return { message: error };
  const parsed = errorDetailsSchema.safeParse(error ?? candidate);
  if (!parsed.success) return undefined;
  const details = parsed.data;
  return details.message === undefined && details.code === undefined && details.type === undefined ? undefined : details;
};

export const describeUpstreamError = (details: OpenaiErrorDetails | undefined, fallback: string): string =>
  details?.message === undefined || details.message === null || details.message === '' ? fallback : redactSecrets(details.message);

export const decodeError = (status: number, body: string, headers: Headers): GatewayError => {
  const details = findErrorDetails(parseJsonLoosely(body));
  const code = details === undefined ? classifyUpstreamStatus(status) : classifyOpenaiError(status, details);
  const options: GatewayErrorOptions = { upstreamStatus: status };
  const retryAfterSeconds = parseRetryAfter(headers);
  if (retryAfterSeconds !== undefined) options.retryAfterSeconds = retryAfterSeconds;
  if (typeof details?.param === 'string') options.param = details.param;
  return new GatewayError(code, describeUpstreamError(details, `The provider answered with HTTP ${status}`), options);
};
