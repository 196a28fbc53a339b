import { isUtf8 } from 'node:buffer';
import { GatewayError } from '../core/errors/index.ts';

const jsonMediaType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Checks the media type, the UTF-8 and the JSON of a request body, each with its own clear error.
 * Parsing happens here rather than in the framework so that every failure reaches the caller in its
 * own API's error format.
 */
export const parseJsonBody = (contentType: string | undefined, body: unknown): unknown => {
  if (contentType === undefined || !jsonMediaType.test(contentType)) {
    throw new GatewayError('unsupported_media_type', `Unsupported Content-Type "${contentType ?? ''}": send application/json.`);
  }
  if (!Buffer.isBuffer(body) || body.length === 0) throw new GatewayError('invalid_json', 'The request body is empty.');
  if (!isUtf8(body)) throw new GatewayError('invalid_encoding', 'The request body is not valid UTF-8.');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new GatewayError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`);
  }
};
