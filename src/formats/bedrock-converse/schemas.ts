import { z } from 'zod';

/**
 * Zod schemas for the Bedrock Converse wire format, both ways: the request a Bedrock client sends
 * (`POST /model/{modelId}/converse`), the response Bedrock answers with, and the JSON payloads of the
 * ConverseStream event-stream frames.
 *
 * API reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 * and https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 *
 * Content blocks are Smithy unions: an object with exactly one member set. They are parsed as loose
 * objects so that the decoders can name a member Bulwark does not support (`document`, `video`, ...)
 * instead of failing with a generic union error.
 */

const jsonObjectSchema = z.record(z.string(), z.json());

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html */
export const cachePointSchema = z.object({
  type: z.literal('default'),
  ttl: z.string().optional(),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html */
export const imageBlockSchema = z.object({
  format: z.enum(['png', 'jpeg', 'gif', 'webp']),
  source: z
    .object({
      bytes: z.base64().optional(),
      s3Location: z.object({ uri: z.string().min(1), bucketOwner: z.string().optional() }).optional(),
    })
    .refine((source) => (source.bytes === undefined) !== (source.s3Location === undefined), {
      message: 'Set exactly one of bytes or s3Location',
    }),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolResultContentBlock.html */
export const toolResultContentSchema = z.looseObject({
  text: z.string().optional(),
  json: z.json().optional(),
  image: imageBlockSchema.optional(),
});

export const toolUseBlockSchema = z.object({
  toolUseId: z.string().min(1),
  name: z.string().min(1),
  input: z.json(),
});

export const toolResultBlockSchema = z.object({
  toolUseId: z.string().min(1),
  content: z.array(toolResultContentSchema),
  status: z.enum(['success', 'error']).optional(),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ReasoningContentBlock.html */
export const reasoningContentBlockSchema = z.object({
  reasoningText: z.object({ text: z.string(), signature: z.string().optional() }).optional(),
  redactedContent: z.base64().optional(),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ContentBlock.html */
export const contentBlockSchema = z.looseObject({
  text: z.string().optional(),
  image: imageBlockSchema.optional(),
  toolUse: toolUseBlockSchema.optional(),
  toolResult: toolResultBlockSchema.optional(),
  reasoningContent: reasoningContentBlockSchema.optional(),
  cachePoint: cachePointSchema.optional(),
  citationsContent: z.looseObject({ content: z.array(z.looseObject({ text: z.string().optional() })).optional() }).optional(),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_SystemContentBlock.html */
export const systemBlockSchema = z.looseObject({
  text: z.string().optional(),
  cachePoint: cachePointSchema.optional(),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Tool.html */
export const toolSchema = z.looseObject({
  toolSpec: z
    .object({
      name: z.string().min(1).max(64),
      description: z.string().optional(),
      inputSchema: z.object({ json: jsonObjectSchema }),
      strict: z.boolean().optional(),
    })
    .optional(),
  cachePoint: cachePointSchema.optional(),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolChoice.html */
export const toolChoiceSchema = z
  .object({
    auto: z.object({}).optional(),
    any: z.object({}).optional(),
    tool: z.object({ name: z.string().min(1) }).optional(),
  })
  .refine((choice) => [choice.auto, choice.any, choice.tool].filter((member) => member !== undefined).length === 1, {
    message: 'Set exactly one of auto, any or tool',
  });

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_OutputConfig.html */
export const outputConfigSchema = z
  .object({
    textFormat: z
      .object({
        type: z.literal('json_schema'),
        structure: z.object({
          jsonSchema: z.object({ schema: z.string(), name: z.string().optional(), description: z.string().optional() }),
        }),
      })
      .optional(),
    effort: z.string().optional(),
  })
  .catchall(z.json());

/** The body of a Converse / ConverseStream request. The model is in the URL, not here. */
export const converseRequestSchema = z.strictObject({
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.array(contentBlockSchema) })),
  system: z.array(systemBlockSchema).optional(),
  inferenceConfig: z
    .object({
      maxTokens: z.int().min(1).optional(),
      temperature: z.number().min(0).optional(),
      topP: z.number().min(0).max(1).optional(),
      stopSequences: z.array(z.string()).optional(),
    })
    .optional(),
  toolConfig: z.object({ tools: z.array(toolSchema).min(1), toolChoice: toolChoiceSchema.optional() }).optional(),
  additionalModelRequestFields: jsonObjectSchema.optional(),
  outputConfig: outputConfigSchema.optional(),
  // Fields with no canonical meaning: kept verbatim in providerOptions['bedrock-converse'].
  guardrailConfig: jsonObjectSchema.optional(),
  additionalModelResponseFieldPaths: z.array(z.string()).optional(),
  promptVariables: jsonObjectSchema.optional(),
  requestMetadata: z.record(z.string(), z.string()).optional(),
  performanceConfig: jsonObjectSchema.optional(),
  serviceTier: jsonObjectSchema.optional(),
});

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html */
export const tokenUsageSchema = z.object({
  inputTokens: z.int().min(0),
  outputTokens: z.int().min(0),
  totalTokens: z.int().min(0).optional(),
  cacheReadInputTokens: z.int().min(0).nullish(),
  cacheWriteInputTokens: z.int().min(0).nullish(),
});

/** The body of a successful Converse response. */
export const converseResponseSchema = z.object({
  output: z.object({
    message: z.object({ role: z.string(), content: z.array(contentBlockSchema) }).optional(),
  }),
  stopReason: z.string(),
  usage: tokenUsageSchema,
  additionalModelResponseFields: z.json().optional(),
});

/** Payloads of ConverseStream events, by `:event-type`. Bedrock pads them with a `p` field: ignored. */
export const streamPayloadSchemas = {
  messageStart: z.object({ role: z.string() }),
  contentBlockStart: z.object({
    contentBlockIndex: z.int().min(0),
    start: z.looseObject({ toolUse: z.object({ toolUseId: z.string().min(1), name: z.string().min(1) }).optional() }),
  }),
  contentBlockDelta: z.object({
    contentBlockIndex: z.int().min(0),
    delta: z.looseObject({
      text: z.string().optional(),
      toolUse: z.object({ input: z.string() }).optional(),
      reasoningContent: z
        .object({ text: z.string().optional(), signature: z.string().optional(), redactedContent: z.string().optional() })
        .optional(),
    }),
  }),
  contentBlockStop: z.object({ contentBlockIndex: z.int().min(0) }),
  messageStop: z.object({ stopReason: z.string(), additionalModelResponseFields: z.json().optional() }),
  metadata: z.object({ usage: tokenUsageSchema }),
} as const;

/** An error body (HTTP) or an exception frame's payload. AWS JSON protocols spell it either way. */
export const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  Message: z.string().optional(),
  __type: z.string().optional(),
});

export type ConverseRequestBody = z.output<typeof converseRequestSchema>;
export type ConverseResponseBody = z.output<typeof converseResponseSchema>;
export type BedrockContentBlock = z.output<typeof contentBlockSchema>;
export type BedrockSystemBlock = z.output<typeof systemBlockSchema>;
export type BedrockTool = z.output<typeof toolSchema>;
export type BedrockToolResultContent = z.output<typeof toolResultContentSchema>;
export type BedrockImageBlock = z.output<typeof imageBlockSchema>;
export type BedrockCachePoint = z.output<typeof cachePointSchema>;
export type BedrockTokenUsage = z.output<typeof tokenUsageSchema>;
export type BedrockStreamEventType = keyof typeof streamPayloadSchemas;
