import { GatewayError } from '../../core/errors/index.ts';
import type { EmbeddingResult } from '../../core/model/index.ts';
import { parseUpstreamBody } from '../shared/parse-with-schema.ts';
import { decodeFloat32Base64 } from './float32-base64.ts';
import { embeddingResponseSchema } from './schemas.ts';

/**
 * An OpenAI embeddings response to a canonical EmbeddingResult, vectors in input order.
 * https://platform.openai.com/docs/api-reference/embeddings/object
 */
export const decodeResult = (body: unknown): EmbeddingResult => {
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
