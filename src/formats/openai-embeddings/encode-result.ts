import type { EmbeddingRequest, EmbeddingResult, JsonObject } from '../../core/model/index.ts';
import { encodeFloat32Base64 } from './float32-base64.ts';

/**
 * A canonical EmbeddingResult as OpenAI's embeddings response, in the encoding the caller asked for.
 * https://platform.openai.com/docs/api-reference/embeddings/object
 */
export const encodeResult = (result: EmbeddingResult, request: EmbeddingRequest): JsonObject => ({
  object: 'list',
  data: result.embeddings.map((vector, index) => ({
    object: 'embedding',
    index,
    embedding: request.encodingFormat === 'base64' ? encodeFloat32Base64(vector) : vector,
  })),
  model: result.model,
  usage: { prompt_tokens: result.usage.inputTokens, total_tokens: result.usage.inputTokens },
});
