import type { EmbeddingRequest, JsonObject } from '../../core/model/index.ts';
import type { EncodeRequestContext } from '../wire-format.ts';

/**
 * A canonical EmbeddingRequest as an OpenAI embeddings request body, for upstream calls.
 * https://platform.openai.com/docs/api-reference/embeddings/create
 */
export const encodeRequest = (request: EmbeddingRequest, context: EncodeRequestContext): JsonObject => {
  // Floats upstream whatever the caller wants: Bulwark may cache, compare or re-encode the vectors.
  const body: JsonObject = { model: context.model, input: request.input, encoding_format: 'float' };
  if (request.dimensions !== undefined) body['dimensions'] = request.dimensions;
  if (request.user !== undefined) body['user'] = request.user;
  return body;
};
