import type { GatewayError } from '../../core/errors/index.ts';
import type { EncodedError } from '../wire-format.ts';

/**
 * A GatewayError as OpenAI's error JSON, `{error: {message, type, param, code}}`, so OpenAI SDKs raise
 * their usual exception classes (chosen by HTTP status) with Bulwark's code in `code`.
 * https://platform.openai.com/docs/guides/error-codes
 */
export const encodeError = (error: GatewayError): EncodedError => {
  const encoded: EncodedError = {
    status: error.status,
    body: { error: { message: error.message, type: error.spec.openaiType, param: error.param ?? null, code: error.code } },
  };
  if (error.retryAfterSeconds !== undefined) encoded.headers = { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) };
  return encoded;
};
