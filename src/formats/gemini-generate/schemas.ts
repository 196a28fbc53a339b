/**
 * Zod schemas of the Gemini API payloads Bulwark reads, after
 * https://ai.google.dev/api/generate-content and https://ai.google.dev/api/embeddings.
 * Request schemas are as strict as the API; response schemas only require what Bulwark uses, so a
 * new upstream field never breaks a call.
 */
import { z } from 'zod';
import { geminiObject, geminiObjectKeepingUnknown } from './gemini-object.ts';

export const jsonObjectSchema = z.record(z.string(), z.json());

const tokenCount = z.number().int().nonnegative().optional();

const inlineDataSchema = geminiObject({ mimeType: z.string().min(1), data: z.string() });
const fileDataSchema = geminiObject({ mimeType: z.string().optional(), fileUri: z.string().min(1) });

const functionCallSchema = geminiObject({
  id: z.string().optional(),
  name: z.string().min(1),
  args: jsonObjectSchema.optional(),
});

/** Multimodal function responses (Gemini 3) carry media in `parts`. */
const functionResponsePartSchema = geminiObject({
  inlineData: inlineDataSchema.optional(),
  fileData: fileDataSchema.optional(),
});

const functionResponseSchema = geminiObject({
  id: z.string().optional(),
  name: z.string().min(1),
  response: jsonObjectSchema.optional(),
  parts: z.array(functionResponsePartSchema).optional(),
});

/** One part of a Content. Unknown kinds (executableCode, videoMetadata...) are kept so errors can name them. */
export const partSchema = geminiObjectKeepingUnknown({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: inlineDataSchema.optional(),
  fileData: fileDataSchema.optional(),
  functionCall: functionCallSchema.optional(),
  functionResponse: functionResponseSchema.optional(),
});

const lowerCase = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);
const upperCase = (value: unknown): unknown => (typeof value === 'string' ? value.toUpperCase() : value);

/** `function` is the role older API versions gave function responses; `tool` is accepted alike. */
const roleSchema = z.preprocess(lowerCase, z.enum(['user', 'model', 'function', 'tool']));

export const requestContentSchema = geminiObject({
  role: roleSchema.optional(),
  parts: z.array(partSchema).min(1),
});

const systemInstructionSchema = geminiObject({
  role: z.string().optional(),
  parts: z.array(partSchema),
});

const functionDeclarationSchema = geminiObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: jsonObjectSchema.optional(),
  parametersJsonSchema: jsonObjectSchema.optional(),
});

/** A Tool. Its other members (googleSearch, codeExecution, urlContext...) pass through untouched. */
export const toolSchema = geminiObjectKeepingUnknown({
  functionDeclarations: z.array(functionDeclarationSchema).optional(),
});

export const toolConfigSchema = geminiObjectKeepingUnknown({
  functionCallingConfig: geminiObject({
    mode: z.preprocess(upperCase, z.enum(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'])).optional(),
    allowedFunctionNames: z.array(z.string()).optional(),
  }).optional(),
});

const thinkingConfigSchema = geminiObjectKeepingUnknown({
  thinkingBudget: z.number().int().optional(),
  thinkingLevel: z.string().optional(),
  includeThoughts: z.boolean().optional(),
});

export const generationConfigSchema = geminiObjectKeepingUnknown({
  maxOutputTokens: z.number().int().nonnegative().optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  topK: z.number().int().optional(),
  stopSequences: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  responseMimeType: z.string().optional(),
  responseSchema: jsonObjectSchema.optional(),
  responseJsonSchema: jsonObjectSchema.optional(),
  thinkingConfig: thinkingConfigSchema.optional(),
});

/** GenerateContentRequest. The model normally travels in the URL; `model` in the body is a fallback. */
export const generateContentRequestSchema = geminiObjectKeepingUnknown({
  model: z.string().optional(),
  contents: z.array(requestContentSchema).min(1),
  systemInstruction: systemInstructionSchema.optional(),
  tools: z.array(toolSchema).optional(),
  toolConfig: toolConfigSchema.optional(),
  generationConfig: generationConfigSchema.optional(),
});

const usageMetadataSchema = geminiObject({
  promptTokenCount: tokenCount,
  candidatesTokenCount: tokenCount,
  thoughtsTokenCount: tokenCount,
  cachedContentTokenCount: tokenCount,
  toolUsePromptTokenCount: tokenCount,
  totalTokenCount: tokenCount,
});

const candidateSchema = geminiObject({
  content: geminiObject({ role: z.string().optional(), parts: z.array(partSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  index: z.number().int().optional(),
});

/** google.rpc.Status, as Gemini sends it in error bodies and (rarely) inside a stream. */
export const errorObjectSchema = geminiObject({
  code: z.number().int().optional(),
  message: z.string().optional(),
  status: z.string().optional(),
  details: z.array(z.json()).optional(),
});

export const errorBodySchema = geminiObject({ error: errorObjectSchema });

/** GenerateContentResponse; also each chunk of streamGenerateContent. */
export const generateContentResponseSchema = geminiObject({
  candidates: z.array(candidateSchema).optional(),
  promptFeedback: geminiObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: usageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  createTime: z.string().optional(),
  error: errorObjectSchema.optional(),
});

const embedContentRequestSchema = geminiObject({
  model: z.string().optional(),
  content: geminiObject({
    role: z.string().optional(),
    parts: z.array(geminiObject({ text: z.string() })).min(1),
  }),
  outputDimensionality: z.number().int().positive().optional(),
  taskType: z.string().optional(),
  title: z.string().optional(),
});

export const batchEmbedContentsRequestSchema = geminiObject({
  requests: z.array(embedContentRequestSchema).min(1),
});

export const batchEmbedContentsResponseSchema = geminiObject({
  embeddings: z.array(geminiObject({ values: z.array(z.number()) })),
});

export type GeminiPart = z.output<typeof partSchema>;
export type GeminiRequestContent = z.output<typeof requestContentSchema>;
export type GeminiTool = z.output<typeof toolSchema>;
export type GeminiToolConfig = z.output<typeof toolConfigSchema>;
export type GeminiGenerationConfig = z.output<typeof generationConfigSchema>;
export type GeminiGenerateContentRequest = z.output<typeof generateContentRequestSchema>;
export type GeminiGenerateContentResponse = z.output<typeof generateContentResponseSchema>;
export type GeminiUsageMetadata = z.output<typeof usageMetadataSchema>;
export type GeminiErrorObject = z.output<typeof errorObjectSchema>;
