import { z } from 'zod';

/**
 * What OpenAI-compatible servers answer, parsed leniently where compatible servers differ from
 * OpenAI (missing ids, `null` usage, no `[DONE]`), strictly where Bulwark depends on a value.
 * https://platform.openai.com/docs/api-reference/chat/object
 * https://platform.openai.com/docs/api-reference/chat/streaming
 */

const countSchema = z.number().int().nonnegative();

export const usageSchema = z.object({
  prompt_tokens: countSchema,
  completion_tokens: countSchema,
  total_tokens: countSchema.nullish(),
  prompt_tokens_details: z.object({ cached_tokens: countSchema.nullish(), cache_write_tokens: countSchema.nullish() }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: countSchema.nullish() }).nullish(),
});

export type OpenaiUsage = z.output<typeof usageSchema>;

const responseToolCallSchema = z.object({
  id: z.string(),
  type: z.string().optional(),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const chatCompletionSchema = z.object({
  id: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z.array(z.object({
    index: z.number().int().optional(),
    message: z.object({
      content: z.string().nullish(),
      refusal: z.string().nullish(),
      // Not OpenAI's: DeepSeek, vLLM and others put reasoning here; OpenRouter uses `reasoning`.
      reasoning_content: z.string().nullish(),
      reasoning: z.string().nullish(),
      tool_calls: z.array(responseToolCallSchema).nullish(),
    }),
    finish_reason: z.string().nullish(),
  })),
  usage: usageSchema.nullish(),
});

const toolCallDeltaSchema = z.object({
  index: z.number().int().nonnegative().optional(),
  id: z.string().nullish(),
  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});

export const chatCompletionChunkSchema = z.object({
  id: z.string().optional(),
  created: z.number().optional(),
  model: z.string().optional(),
  choices: z.array(z.object({
    index: z.number().int().optional(),
    // Azure's asynchronous content-filter chunks carry no delta.
    delta: z.object({
      content: z.string().nullish(),
      refusal: z.string().nullish(),
      reasoning_content: z.string().nullish(),
      reasoning: z.string().nullish(),
      tool_calls: z.array(toolCallDeltaSchema).nullish(),
    }).nullish(),
    finish_reason: z.string().nullish(),
  })).optional(),
  usage: usageSchema.nullish(),
});

export type ChatCompletionChunk = z.output<typeof chatCompletionChunkSchema>;
export type ChunkDelta = NonNullable<NonNullable<ChatCompletionChunk['choices']>[number]['delta']>;

/** OpenAI's error body. Compatible servers send numeric codes, `null` types, or a bare message. */
export const errorDetailsSchema = z.object({
  message: z.string().nullish(),
  type: z.string().nullish(),
  param: z.string().nullish(),
  code: z.union([z.string(), z.number()]).nullish(),
});

export type OpenaiErrorDetails = z.output<typeof errorDetailsSchema>;

export const errorBodySchema = z.object({ error: errorDetailsSchema });
