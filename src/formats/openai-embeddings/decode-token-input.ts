import { createRequire } from 'node:module';
import { GatewayError } from '../../core/errors/index.ts';

type Cl100k = typeof import('gpt-tokenizer/encoding/cl100k_base');

/**
 * The cl100k tables cost ~40 MiB and ~90 ms to load and only token-array input needs them: loaded on
 * first use (synchronously, since decoding a request is), not when the gateway starts.
 */
const require = createRequire(import.meta.url);
let cl100k: Cl100k | undefined;
const tokenizer = (): Cl100k => {
  cl100k ??= require('gpt-tokenizer/encoding/cl100k_base') as Cl100k;
  return cl100k;
};

/**
 * Token-array input back to text, so every provider can embed it. OpenAI's embedding models
 * (text-embedding-3-*, ada-002) tokenize with cl100k_base, and clients that send tokens (LangChain's
 * OpenAIEmbeddings does by default) produce them with tiktoken's encoding for the model, so that is
 * the vocabulary to read them with.
 */
export const decodeTokenInput = (tokens: readonly number[], param: string): string => {
  const { decode } = tokenizer();
  try {
    return decode(tokens);
  } catch {
    throw new GatewayError('invalid_request', `${param}: holds token ids that are not in the cl100k_base vocabulary`, { param });
  }
};
