import { GatewayError } from '../../core/errors/index.ts';
import { classifyUpstreamStatus, parseJsonLoosely, parseRetryAfter } from '../shared/classify-upstream-status.ts';
import { mapAnthropicErrorType } from './map-anthropic-error-type.ts';
import { errorBodySchema } from './response-schemas.ts';

/** Provider messages are passed on, but a long or HTML body is not a message. */
const maximumMessageLength = 500;

/**
 * Classifies an Anthropic error answer (https://platform.claude.com/docs/en/api/errors):
 * `{type: 'error', error: {type, message}, request_id}`. The error type decides the code where it is
 * known (a too-long prompt is an `invalid_request_error` that another model may serve); otherwise the
 * HTTP status does. `Retry-After` is kept for the retry layer.
 */
export const decodeAnthropicError = (status: number, body: string, headers: Headers): GatewayError => {
  const parsed = errorBodySchema.safeParse(parseJsonLoosely(body));
  const retryAfterSeconds = parseRetryAfter(headers);
  const options = retryAfterSeconds === undefined ? { upstreamStatus: status } : { upstreamStatus: status, retryAfterSeconds };
  if (!parsed.success) {
    return new GatewayError(classifyUpstreamStatus(status), `Anthropic answered HTTP ${status} without an error body`, options);
  }
  const { type, message } = parsed.data.error;
  const code = mapAnthropicErrorType(type, message) ?? classifyUpstreamStatus(status);
  const text = message === '' ? type : message.slice(0, maximumMessageLength);
  // Anthropic's request id is what its support asks for; it identifies the call, it grants nothing.
  const requestId = parsed.data.request_id ?? headers.get('request-id');
  const suffix = typeof requestId === 'string' && requestId !== '' ? ` (request_id ${requestId.slice(0, 100)})` : '';
  return new GatewayError(code, `Anthropic ${type}: ${text}${suffix}`, options);
};
