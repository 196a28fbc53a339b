import { z } from 'zod';

/**
 * Zod schemas for what Anthropic sends back: the Message object
 * (https://platform.claude.com/docs/en/api/messages), its stream events
 * (https://platform.claude.com/docs/en/build-with-claude/streaming) and its error body
 * (https://platform.claude.com/docs/en/api/errors). Anthropic may add block, delta and event types
 * (its versioning policy says so), so unknown ones are skipped; known ones are checked strictly.
 */

const jsonObjectSchema = z.record(z.string(), z.json());
const count = z.number().int().nonnegative();

const knownResultBlockTypes: ReadonlySet<string> = new Set(['text', 'tool_use', 'thinking', 'redacted_thinking']);

const isUnknownBlock = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { type?: unknown }).type === 'string' &&
  !knownResultBlockTypes.has((value as { type: string }).type);

export const resultBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: jsonObjectSchema }),
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().nullish() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
]);

export type AnthropicResultBlock = z.output<typeof resultBlockSchema>;

export const usageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count.nullish(),
  cache_read_input_tokens: count.nullish(),
  output_tokens_details: z.object({ thinking_tokens: count.nullish() }).nullish(),
});

export type AnthropicUsage = z.output<typeof usageSchema>;

export const messageResponseSchema = z.object({
  id: z.string(),
  // Always sent by Anthropic; optional because some Anthropic-compatible APIs leave them out.
  type: z.literal('message').optional(),
  role: z.literal('assistant').optional(),
  model: z.string(),
  // Server-tool results and other blocks Bulwark never asks for are dropped, not mistranslated.
  content: z.preprocess((value) => (Array.isArray(value) ? value.filter((block) => !isUnknownBlock(block)) : value), z.array(resultBlockSchema)),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: usageSchema,
});

export const messageStartEventSchema = z.object({
  type: z.literal('message_start'),
  message: z.object({
    id: z.string(),
    model: z.string(),
    // The docs' own thinking example omits usage here; message_delta carries it anyway.
    usage: usageSchema.partial().nullish(),
  }),
});

export const contentBlockStartEventSchema = z.object({
  type: z.literal('content_block_start'),
  index: count,
  content_block: z.object({ type: z.string() }).loose(),
});

export const streamedBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().default('') }),
  z.object({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: jsonObjectSchema.nullish() }),
  z.object({ type: z.literal('thinking'), thinking: z.string().default(''), signature: z.string().nullish() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
]);

export const isKnownResultBlockType = (type: string): boolean => knownResultBlockTypes.has(type);

export const contentBlockDeltaEventSchema = z.object({
  type: z.literal('content_block_delta'),
  index: count,
  delta: z.object({ type: z.string() }).loose(),
});

export const streamedDeltaSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text_delta'), text: z.string() }),
  z.object({ type: z.literal('input_json_delta'), partial_json: z.string() }),
  z.object({ type: z.literal('thinking_delta'), thinking: z.string() }),
  z.object({ type: z.literal('signature_delta'), signature: z.string() }),
]);

export const knownDeltaTypes: ReadonlySet<string> = new Set(['text_delta', 'input_json_delta', 'thinking_delta', 'signature_delta']);

export const contentBlockStopEventSchema = z.object({ type: z.literal('content_block_stop'), index: count });

export const messageDeltaEventSchema = z.object({
  type: z.literal('message_delta'),
  delta: z.object({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
  // Cumulative totals: output_tokens always, the input counters when Anthropic revises them.
  usage: z
    .object({
      output_tokens: count,
      input_tokens: count.nullish(),
      cache_creation_input_tokens: count.nullish(),
      cache_read_input_tokens: count.nullish(),
      output_tokens_details: z.object({ thinking_tokens: count.nullish() }).nullish(),
    })
    .nullish(),
});

export const errorBodySchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: z.string(), message: z.string().default('') }),
  request_id: z.string().nullish(),
});

export type AnthropicErrorBody = z.output<typeof errorBodySchema>;
