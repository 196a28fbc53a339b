import type { FastifyReply } from 'fastify';
import { GatewayError, toGatewayError } from '../core/errors/index.ts';
import type { WireFormat } from '../formats/wire-format.ts';

/**
 * The one place errors become HTTP responses: the caller's own format's error JSON (through its codec),
 * the catalog's status, `Retry-After` when there is a hint, and the request id.
 */
export const sendError = (reply: FastifyReply, format: WireFormat, thrown: unknown, headers: Record<string, string> = {}): FastifyReply => {
  const error = toGatewayError(thrown);
  const encoded = format.encodeError(error);
  reply.code(encoded.status).headers(headers).header('content-type', 'application/json');
  if (encoded.headers !== undefined) reply.headers(encoded.headers);
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  return reply.send(JSON.stringify(encoded.body));
};

/** Maps Fastify's own errors (body limit, media type, ...) to the catalog. */
export const fromFrameworkError = (error: unknown): GatewayError => {
  if (error instanceof GatewayError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('payload_too_large', 'The request body is larger than the configured limit.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('unsupported_media_type', 'Send the request body as Content-Type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('invalid_json', 'The request body is empty.');
    default:
      return new GatewayError('internal_error', 'Internal error', { cause: error });
  }
};
