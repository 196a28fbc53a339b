import type { WireFormat } from '../wire-format.ts';
import { decodeError } from './decode-error.ts';
import { decodeRequest } from './decode-request.ts';
import { decodeResult } from './decode-result.ts';
import { createStreamDecoder } from './decode-stream.ts';
import { encodeError } from './encode-error.ts';
import { encodeRequest } from './encode-request.ts';
import { encodeResult } from './encode-result.ts';
import { createStreamEncoder } from './encode-stream.ts';

/**
 * Google's Gemini `generateContent` / `streamGenerateContent?alt=sse` wire format, both ways.
 * https://ai.google.dev/api/generate-content
 */
export const geminiGenerateFormat: WireFormat = {
  name: 'gemini-generate',
  decodeRequest,
  encodeRequest,
  decodeResult,
  encodeResult,
  createStreamDecoder,
  createStreamEncoder: () => createStreamEncoder(),
  decodeError,
  encodeError,
};

export { geminiEmbeddingsFormat } from './gemini-embeddings-format.ts';
export { skipThoughtSignature } from './encode-contents.ts';
export { isSynthesizedToolCallId } from './tool-call-id.ts';
