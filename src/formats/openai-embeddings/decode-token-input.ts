import { decode } from 'gpt-tokenizer/encoding/cl100k_base';
import { GatewayError } from '../../core/errors/index.ts';

/**
 * Token-array input back to text, so every provider can embed it. OpenAI's embedding models
 * (text-embedding-3-*, ada-002) tokenize with cl100k_base, and clients that send tokens (LangChain's
 * OpenAIEmbeddings does by default) produce them with tiktoken's encoding for the model, so that is
 * the vocabulary to read them with.
 */
export const decodeTokenInput = (tokens: readonly number[], param: string): string => {
  try {
    return decode(tokens);
  } catch {
    throw new GatewayError('invalid_request', `${param}: holds token ids that are not in the cl100k_base vocabulary`, { param });
  }
};
