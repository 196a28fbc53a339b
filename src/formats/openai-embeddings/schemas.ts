import { z } from 'zod';

/**
 * The embeddings request and response, as OpenAI documents them:
 * https://platform.openai.com/docs/api-reference/embeddings/create
 */

/** OpenAI's limit on inputs per request. */
export const maxInputs = 2048;

const tokenSchema = z.number().int().nonnegative();

export const embeddingRequestSchema = z.object({
  model: z.string().min(1),
  input: z.union(
    [
      z.string().min(1, { error: 'must not be empty' }),
      z.array(z.string().min(1, { error: 'must not be empty' })).min(1).max(maxInputs),
      z.array(tokenSchema).min(1),
      z.array(z.array(tokenSchema).min(1)).min(1).max(maxInputs),
    ],
    { error: 'expected a string, an array of strings, an array of tokens or an array of token arrays' },
  ),
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
});

export type EmbeddingRequestBody = z.output<typeof embeddingRequestSchema>;

export const embeddingResponseSchema = z.object({
  data: z.array(z.object({
    index: z.number().int().nonnegative(),
    // A float array, or base64 little-endian float32 when `encoding_format` was "base64".
    embedding: z.union([z.array(z.number()), z.string()]),
  })),
  model: z.string().optional(),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative(), total_tokens: z.number().int().nonnegative().optional() }).nullish(),
});
