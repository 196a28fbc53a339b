import type { WireFormat } from '../wire-format.ts';
import type { BedrockConverseOptions } from './bedrock-converse-options.ts';
import { decodeBedrockError } from './decode-error.ts';
import { decodeBedrockRequest } from './decode-request.ts';
import { decodeBedrockResult } from './decode-result.ts';
import { BedrockStreamDecoder } from './decode-stream.ts';
import { encodeBedrockError } from './encode-error.ts';
import { encodeBedrockRequest } from './encode-request.ts';
import { encodeBedrockResult } from './encode-result.ts';
import { BedrockStreamEncoder } from './encode-stream.ts';

/**
 * The AWS Bedrock Converse / ConverseStream wire format.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 *
 * The model is in the URL (`/model/{modelId}/converse`), so `decodeRequest` reads it from its context
 * and `encodeRequest` leaves it to the provider's URL. Results carry no id or model: the id is made
 * up and `model` is '' for the provider to fill in. Streams are binary AWS event streams, not SSE:
 * the stream encoder writes Uint8Array frames.
 */
export const createBedrockConverseFormat = (options: BedrockConverseOptions = {}): WireFormat => {
  const structuredOutput = options.structuredOutput ?? 'native';
  return {
    name: 'bedrock-converse',
    decodeRequest: decodeBedrockRequest,
    encodeRequest: (request, context) => encodeBedrockRequest(request, context, structuredOutput),
    decodeResult: (body) => decodeBedrockResult(body, structuredOutput),
    encodeResult: encodeBedrockResult,
    createStreamDecoder: () => new BedrockStreamDecoder(structuredOutput),
    createStreamEncoder: () => new BedrockStreamEncoder(),
    decodeError: decodeBedrockError,
    encodeError: encodeBedrockError,
  };
};

/** Bedrock Converse with native structured output (`outputConfig.textFormat`). */
export const bedrockConverseFormat: WireFormat = createBedrockConverseFormat();

export type { BedrockConverseOptions, StructuredOutputMode } from './bedrock-converse-options.ts';
export { jsonResponseToolName } from './bedrock-converse-options.ts';
export { encodeEventStreamFrame, EventStreamFrameReader, type EventStreamFrame } from './event-stream-framing.ts';
