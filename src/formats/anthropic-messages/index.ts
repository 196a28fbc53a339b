import type { WireFormat } from '../wire-format.ts';
import { decodeAnthropicError } from './decode-error.ts';
import { decodeAnthropicRequest } from './decode-request.ts';
import { decodeAnthropicResult } from './decode-result.ts';
import { createAnthropicStreamDecoder } from './decode-stream.ts';
import { encodeAnthropicError } from './encode-error.ts';
import { encodeAnthropicRequest } from './encode-request.ts';
import { encodeAnthropicResult } from './encode-result.ts';
import { createAnthropicStreamEncoder } from './encode-stream.ts';

/** Anthropic's Messages API (https://platform.claude.com/docs/en/api/messages), both ways. */
export const anthropicMessagesFormat: WireFormat = {
  name: 'anthropic-messages',
  decodeRequest: decodeAnthropicRequest,
  encodeRequest: encodeAnthropicRequest,
  decodeResult: decodeAnthropicResult,
  encodeResult: encodeAnthropicResult,
  createStreamDecoder: createAnthropicStreamDecoder,
  createStreamEncoder: createAnthropicStreamEncoder,
  decodeError: decodeAnthropicError,
  encodeError: encodeAnthropicError,
};

export { decodeAnthropicRequest } from './decode-request.ts';
export { encodeAnthropicRequest } from './encode-request.ts';
export { decodeAnthropicResult } from './decode-result.ts';
export { encodeAnthropicResult } from './encode-result.ts';
export { createAnthropicStreamDecoder } from './decode-stream.ts';
export { createAnthropicStreamEncoder } from './encode-stream.ts';
export { decodeAnthropicError } from './decode-error.ts';
export { encodeAnthropicError } from './encode-error.ts';
export { mapAnthropicStopReason, mapFinishReasonToAnthropic } from './map-anthropic-stop-reason.ts';
export { mapAnthropicErrorType } from './map-anthropic-error-type.ts';
