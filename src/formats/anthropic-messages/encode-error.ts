import type { GatewayError } from '../../core/errors/index.ts';
import type { EncodedError } from '../wire-format.ts';

/**
 * A GatewayError as Anthropic's error body (https://platform.claude.com/docs/en/api/errors), with the
 * catalog's status and Anthropic error type, and `Retry-After` when the caller should wait.
 */
export const encodeAnthropicError = (error: GatewayError): EncodedError => {
  const encoded: EncodedError = {
    status: error.status,
    body: { type: 'error', error: { type: error.spec.anthropicType, message: error.message } },
  };
  if (error.retryAfterSeconds !== undefined) encoded.headers = { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) };
  return encoded;
};
