import type { GatewayError } from '../../core/errors/index.ts';
import type { JsonObject } from '../../core/model/index.ts';
import type { EncodedError } from '../wire-format.ts';
import { bulwarkErrorDomain } from './decode-error.ts';
import { geminiStatusName } from './gemini-status.ts';

/**
 * A GatewayError as Gemini's error body (google.rpc.Status,
 * https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes), with the details Google's SDKs
 * read: ErrorInfo (Bulwark's code as the reason), RetryInfo and BadRequest field violations.
 */
export const encodeErrorObject = (code: string, message: string, httpStatus: number, error?: GatewayError): JsonObject => {
  const details: JsonObject[] = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: code, domain: bulwarkErrorDomain }];
  if (error?.retryAfterSeconds !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterSeconds}s` });
  }
  if (error?.param !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: error.param, description: message }] });
  }
  return { code: httpStatus, message, status: geminiStatusName(httpStatus), details };
};

export const encodeError = (error: GatewayError): EncodedError => {
  const encoded: EncodedError = { status: error.status, body: { error: encodeErrorObject(error.code, error.message, error.status, error) } };
  if (error.retryAfterSeconds !== undefined) encoded.headers = { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) };
  return encoded;
};
