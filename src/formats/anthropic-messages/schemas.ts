import { z } from 'zod';

/**
 * Zod schemas for the Anthropic Messages API request body, following
 * https://platform.claude.com/docs/en/api/messages (and the `MessageCreateParams` types of
 * anthropics/anthropic-sdk-typescript). Fields Bulwark does not translate are left to the decoder,
 * which keeps unknown top-level fields in `providerOptions` and rejects unsupported block types by name.
 */

const jsonObjectSchema = z.record(z.string(), z.json());

/** Names what is not supported, so the caller learns which block or source type to remove. */
const unsupported =
  (what: string) =>
  (issue: { code?: string; input?: unknown }): string | undefined => {
    if (issue.code !== 'invalid_union') return undefined;
    const type = typeof issue.input === 'object' && issue.input !== null ? (issue.input as { type?: unknown }).type : undefined;
    return typeof type === 'string'
      ? `${what} '${type}' is not supported by Bulwark`
      : `${what} must be an object with a string 'type'`;
  };

/** Anthropic accepts a plain string wherever a list of text blocks would do; it means one text block. */
const stringAsTextBlocks = <Item extends z.ZodType>(item: Item) =>
  z.preprocess((value) => (typeof value === 'string' ? [{ type: 'text', text: value }] : value), z.array(item));

export const cacheControlSchema = z.object({ type: z.literal('ephemeral'), ttl: z.string().optional() });
const cacheControlField = cacheControlSchema.nullish();

export const textBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControlField,
  // Citations from an earlier answer are not sent back upstream; accepted so such turns still decode.
  citations: z.unknown().optional(),
});

const imageSourceSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string() }),
    z.object({ type: z.literal('url'), url: z.string().min(1) }),
  ],
  { error: unsupported('image source type') },
);

export const imageBlockSchema = z.object({ type: z.literal('image'), source: imageSourceSchema, cache_control: cacheControlField });

const toolUseBlockSchema = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: jsonObjectSchema,
  cache_control: cacheControlField,
});

const toolResultContentBlockSchema = z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema], {
  error: unsupported('tool_result content block type'),
});

const toolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: stringAsTextBlocks(toolResultContentBlockSchema).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlField,
});

const thinkingBlockSchema = z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlockSchema = z.object({ type: z.literal('redacted_thinking'), data: z.string() });

export const requestContentBlockSchema = z.discriminatedUnion(
  'type',
  [textBlockSchema, imageBlockSchema, toolUseBlockSchema, toolResultBlockSchema, thinkingBlockSchema, redactedThinkingBlockSchema],
  { error: unsupported('content block type') },
);

export type AnthropicRequestBlock = z.output<typeof requestContentBlockSchema>;
export type AnthropicTextBlock = z.output<typeof textBlockSchema>;
export type AnthropicImageBlock = z.output<typeof imageBlockSchema>;
export type AnthropicCacheControl = z.output<typeof cacheControlSchema>;

const messageSchema = z.object({
  // `system` turns inside `messages` are newer than the top-level `system` field; both are accepted.
  role: z.enum(['user', 'assistant', 'system']),
  content: stringAsTextBlocks(requestContentBlockSchema),
});

export type AnthropicMessageParam = z.output<typeof messageSchema>;

/** A custom tool. Server tools (`web_search_*`, `bash_*`, ...) carry another `type` and are refused. */
const toolSchema = z
  .object({ type: z.string().nullish() })
  .loose()
  .check((context) => {
    const type = context.value.type;
    if (type === undefined || type === null || type === 'custom') return;
    context.issues.push({
      code: 'custom',
      message: `tool type '${type}' is not supported by Bulwark: server tools run at Anthropic and cannot be routed to other providers`,
      path: ['type'],
      input: type,
      continue: false,
    });
  })
  .pipe(
    z.object({
      name: z.string().min(1),
      description: z.string().optional(),
      input_schema: jsonObjectSchema,
      cache_control: cacheControlField,
      strict: z.boolean().optional(),
    }),
  );

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('none') }),
]);

const thinkingSchema = z.object({ type: z.string(), budget_tokens: z.int().positive().optional() }).catchall(z.json());

const jsonSchemaFormatSchema = z.object({ type: z.literal('json_schema'), schema: jsonObjectSchema });

const outputConfigSchema = z.object({ format: jsonSchemaFormatSchema.nullish(), effort: z.string().nullish() }).catchall(z.json());

export const anthropicRequestSchema = z
  .object({
    model: z.string().min(1).optional(),
    messages: z.array(messageSchema).min(1, { error: 'must contain at least one message' }),
    max_tokens: z.int({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a positive integer') }).positive(),
    system: stringAsTextBlocks(textBlockSchema).optional(),
    stop_sequences: z.array(z.string()).optional(),
    temperature: z.number().optional(),
    top_p: z.number().optional(),
    top_k: z.int().nonnegative().optional(),
    metadata: z.object({ user_id: z.string().nullish() }).catchall(z.json()).optional(),
    stream: z.boolean().optional(),
    tools: z.array(toolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    thinking: thinkingSchema.optional(),
    output_config: outputConfigSchema.optional(),
    // The beta spelling of structured outputs (`structured-outputs-2025-11-13`), now deprecated.
    output_format: jsonSchemaFormatSchema.nullish(),
  })
  .catchall(z.json());

export type AnthropicRequest = z.output<typeof anthropicRequestSchema>;

/** The top-level fields the codec translates; any other field travels in `providerOptions`. */
export const knownRequestFields: ReadonlySet<string> = new Set(Object.keys(anthropicRequestSchema.shape));
