import { z } from 'zod';

/**
 * The Chat Completions request body, as OpenAI documents it:
 * https://platform.openai.com/docs/api-reference/chat/create
 *
 * Only fields Bulwark reads or must type-check are declared; the top level is loose so fields OpenAI
 * adds later pass through untouched (see `decode-request.ts`). Unsupported variants (audio and file
 * parts, custom tools, the legacy `function` role) are accepted here so that decoding can name them
 * as unsupported instead of calling them malformed.
 */

export const jsonObjectSchema = z.record(z.string(), z.json());

const promptCacheBreakpointSchema = z.object({ mode: z.literal('explicit'), ttl: z.string().optional() });

export const textPartSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  prompt_cache_breakpoint: promptCacheBreakpointSchema.optional(),
});

const imagePartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    url: z.string().min(1),
    detail: z.enum(['auto', 'low', 'high', 'original']).optional(),
  }),
  prompt_cache_breakpoint: promptCacheBreakpointSchema.optional(),
});

const unsupportedPartSchema = <Type extends string>(type: Type) => z.looseObject({ type: z.literal(type) });

const userPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  imagePartSchema,
  unsupportedPartSchema('input_audio'),
  unsupportedPartSchema('file'),
]);

const assistantPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  z.object({ type: z.literal('refusal'), refusal: z.string() }),
]);

const contentError = { error: 'expected a string or an array of content parts' };
const textContentSchema = z.union([z.string(), z.array(textPartSchema)], contentError);

export const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function', { error: 'only function tool calls are supported' }),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const systemMessageSchema = z.object({ role: z.literal('system'), content: textContentSchema, name: z.string().optional() });
const developerMessageSchema = z.object({ role: z.literal('developer'), content: textContentSchema, name: z.string().optional() });

const userMessageSchema = z.object({
  role: z.literal('user'),
  content: z.union([z.string(), z.array(userPartSchema)], contentError),
  name: z.string().optional(),
});

const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.union([z.string(), z.array(assistantPartSchema)], contentError).nullish(),
  refusal: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  name: z.string().optional(),
  function_call: z.json().optional(),
  audio: z.json().optional(),
});

const toolMessageSchema = z.object({ role: z.literal('tool'), content: textContentSchema, tool_call_id: z.string() });

export const messageSchema = z.discriminatedUnion('role', [
  systemMessageSchema,
  developerMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
  z.looseObject({ role: z.literal('function') }),
], { error: 'expected a role of "system", "developer", "user", "assistant" or "tool"' });

export const functionToolSchema = z.object({
  type: z.literal('function', { error: 'only tools of type "function" are supported' }),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: jsonObjectSchema.optional(),
    strict: z.boolean().nullish(),
  }),
});

export const toolChoiceSchema = z.union(
  [
    z.enum(['none', 'auto', 'required']),
    z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
  ],
  { error: 'expected "none", "auto", "required" or {"type": "function", "function": {"name": ...}}' },
);

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: jsonObjectSchema.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const tokenCountSchema = z.number().int().nonnegative().nullish();
const penaltySchema = z.number().min(-2).max(2).nullish();

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1).optional(),
  messages: z.array(messageSchema).min(1),
  tools: z.array(functionToolSchema).nullish(),
  tool_choice: toolChoiceSchema.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormatSchema.nullish(),
  max_tokens: tokenCountSchema,
  max_completion_tokens: tokenCountSchema,
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())], { error: 'expected a string or an array of strings' }).nullish(),
  seed: z.number().int().nullish(),
  frequency_penalty: penaltySchema,
  presence_penalty: penaltySchema,
  reasoning_effort: z.string().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  user: z.string().optional(),
  // Fields without a canonical meaning: typed here so a wrong type is the caller's error, not the provider's.
  n: z.number().int().min(1).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  modalities: z.array(z.string()).nullish(),
});

export type ChatCompletionRequestBody = z.output<typeof chatCompletionRequestSchema>;
export type RequestMessage = z.output<typeof messageSchema>;
export type RequestTextPart = z.output<typeof textPartSchema>;
