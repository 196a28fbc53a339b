import type { EmbeddingRequest } from '../../core/model/index.ts';
import { parseRequestBody } from '../shared/parse-with-schema.ts';
import { decodeTokenInput } from './decode-token-input.ts';
import { embeddingRequestSchema, type EmbeddingRequestBody } from './schemas.ts';

/**
 * An OpenAI embeddings request body to a canonical EmbeddingRequest.
 * https://platform.openai.com/docs/api-reference/embeddings/create
 */

const isStrings = (input: readonly unknown[]): input is string[] => input.every((item) => typeof item === 'string');
const isTokens = (input: readonly unknown[]): input is number[] => input.every((item) => typeof item === 'number');

const decodeInput = (input: EmbeddingRequestBody['input']): string[] => {
  if (typeof input === 'string') return [input];
  if (isStrings(input)) return input;
  if (isTokens(input)) return [decodeTokenInput(input, 'input')];
  return input.map((tokens, index) => decodeTokenInput(tokens, `input[${index}]`));
};

export const decodeRequest = (body: unknown): EmbeddingRequest => {
  const parsed = parseRequestBody(embeddingRequestSchema, body);
  const request: EmbeddingRequest = { model: parsed.model, input: decodeInput(parsed.input), encodingFormat: parsed.encoding_format ?? 'float' };
  if (parsed.dimensions !== undefined) request.dimensions = parsed.dimensions;
  if (parsed.user !== undefined) request.user = parsed.user;
  return request;
};
