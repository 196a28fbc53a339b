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
 * OpenAI Chat Completions (`POST /v1/chat/completions`), both ways: the client surface of OpenAI SDKs
 * and the upstream format of OpenAI and every OpenAI-compatible server.
 * https://platform.openai.com/docs/api-reference/chat
 */
export const openaiChatFormat: WireFormat = {
  name: 'openai-chat',
  decodeRequest,
  encodeRequest,
  decodeResult,
  encodeResult,
  createStreamDecoder,
  createStreamEncoder,
  decodeError,
  encodeError,
};

export { classifyOpenaiError } from './decode-error.ts';
export { mapOpenaiFinishReason, toOpenaiFinishReason } from './map-openai-finish-reason.ts';
