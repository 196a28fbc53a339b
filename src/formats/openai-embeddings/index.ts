import type { EmbeddingRequest, EmbeddingResult, JsonObject } from '../../core/model/index.ts';
import { parseRequestBody, parseUpstreamBody } from '../shared/parse-with-schema.ts';
import type { EmbeddingWireFormat, EncodeRequestContext } from '../wire-format.ts';
import { GatewayError } from '../../core/errors/index.ts';
import { decodeTokenInput } from './decode-token-input.ts';
import { decodeFloat32Base64, encodeFloat32Base64 } from './float32-base64.ts';
import { embeddingRequestSchema, embeddingResponseSchema, type EmbeddingRequestBody } from './schemas.ts';

/**
 * OpenAI embeddings (`POST /v1/embeddings`), both ways: Bulwark's embeddings client surface and the
 * upstream format of OpenAI and OpenAI-compatible servers.
 * https://platform.openai.com/docs/api-reference/embeddings
 */

const decodeInput = (input: EmbeddingRequestBody['input']): string[] => {
  if (typeof input === 'string') return [input];
  const [first] = input;
  if (typeof first === 'string') return input.filter((item): item is string => typeof item === 'string');
  if (typeof first === 'number') return [decodeTokenInput(input.filter((item): item is number => typeof item === 'number'), 'input')];
  return input.flatMap((item, index) => (Array.isArray(item) ? [decodeTokenInput(item, `input[${index}]`)] : []));
};

const decodeRequest = (body: unknown): EmbeddingRequest => {
  const parsed = parseRequestBody(embeddingRequestSchema, body);
  const request: EmbeddingRequest = { model: parsed.model, input: decodeInput(parsed.input), encodingFormat: parsed.encoding_format ?? 'float' };
  if (parsed.dimensions !== undefined) request.dimensions = parsed.dimensions;
  if (parsed.user !== undefined) request.user = parsed.user;
  return request;
};

const encodeRequest = (request: EmbeddingRequest, context: EncodeRequestContext): JsonObject => {
  // Floats upstream whatever the caller wants: Bulwark may cache, compare or re-encode the vectors.
  const body: JsonObject = { model: context.model, input: request.input, encoding_format: 'float' };
  if (request.dimensions !== undefined) body['dimensions'] = request.dimensions;
  if (request.user !== undefined) body['user'] = request.user;
  return body;
};

const decodeResult = (body: unknown): EmbeddingResult => {
  const response = parseUpstreamBody(embeddingResponseSchema, body, 'embeddings response');
  const ordered = response.data.toSorted((left, right) => left.index - right.index);
  const embeddings = ordered.map((item) => {
    if (typeof item.embedding !== 'string') return item.embedding;
    const vector = decodeFloat32Base64(item.embedding);
    if (vector === undefined) throw new GatewayError('upstream_invalid_response', `The provider sent embedding ${item.index} as malformed base64`);
    return vector;
  });
  return { model: response.model ?? '', embeddings, usage: { inputTokens: response.usage?.prompt_tokens ?? 0 } };
};

const encodeResult = (result: EmbeddingResult, request: EmbeddingRequest): JsonObject => ({
  object: 'list',
  data: result.embeddings.map((vector, index) => ({
    object: 'embedding',
    index,
    embedding: request.encodingFormat === 'base64' ? encodeFloat32Base64(vector) : vector,
  })),
  model: result.model,
  usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
});

export const openaiEmbeddingsFormat: EmbeddingWireFormat = { decodeRequest, encodeRequest, decodeResult, encodeResult };
