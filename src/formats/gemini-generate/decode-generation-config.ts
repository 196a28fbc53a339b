import type { JsonObject, ReasoningOptions, ResponseFormat, Sampling } from '../../core/model/index.ts';
import { omitKeys } from './omit-keys.ts';
import { openApiSchemaToJsonSchema } from './openapi-schema-to-json-schema.ts';
import type { GeminiGenerationConfig } from './schemas.ts';

/**
 * GenerationConfig (https://ai.google.dev/api/generate-content#generationconfig) as canonical sampling,
 * response format and reasoning. What has no canonical meaning (candidateCount, responseModalities,
 * includeThoughts...) is returned apart, in Gemini's own shape, for providerOptions.
 */
export interface DecodedGenerationConfig {
  sampling: Sampling;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningOptions;
  otherGenerationConfig?: JsonObject;
}

const canonicalFields = [
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'stopSequences', 'seed', 'presencePenalty', 'frequencyPenalty',
];
const responseFormatFields = ['responseMimeType', 'responseSchema', 'responseJsonSchema'];

const efforts = ['minimal', 'low', 'medium', 'high'] as const;
type Effort = (typeof efforts)[number];
const isEffort = (value: string): value is Effort => (efforts as readonly string[]).includes(value);

const decodeSampling = (config: GeminiGenerationConfig): Sampling => {
  const sampling: Sampling = {};
  if (config.maxOutputTokens !== undefined) sampling.maxOutputTokens = config.maxOutputTokens;
  if (config.temperature !== undefined) sampling.temperature = config.temperature;
  if (config.topP !== undefined) sampling.topP = config.topP;
  if (config.topK !== undefined) sampling.topK = config.topK;
  if (config.stopSequences !== undefined) sampling.stopSequences = config.stopSequences;
  if (config.seed !== undefined) sampling.seed = config.seed;
  if (config.presencePenalty !== undefined) sampling.presencePenalty = config.presencePenalty;
  if (config.frequencyPenalty !== undefined) sampling.frequencyPenalty = config.frequencyPenalty;
  return sampling;
};

/** JSON mode is `responseMimeType: application/json`, with an optional JSON Schema or OpenAPI schema. */
const decodeResponseFormat = (config: GeminiGenerationConfig): ResponseFormat | undefined => {
  if (config.responseMimeType === 'text/plain') return { type: 'text' };
  if (config.responseMimeType !== 'application/json') return undefined;
  const schema =
    config.responseJsonSchema ?? (config.responseSchema === undefined ? undefined : openApiSchemaToJsonSchema(config.responseSchema));
  // Gemini's schemas carry no name; the canonical one needs one. Gemini always enforces the schema.
  return schema === undefined ? { type: 'json-object' } : { type: 'json-schema', name: 'response', schema, strict: true };
};

/**
 * thinkingBudget is a token budget (0 turns thinking off, -1 lets the model decide, which is the
 * canonical "no budget"); thinkingLevel (Gemini 3) is an effort.
 * https://ai.google.dev/gemini-api/docs/thinking
 */
const decodeReasoning = (thinking: NonNullable<GeminiGenerationConfig['thinkingConfig']>): ReasoningOptions | undefined => {
  const reasoning: ReasoningOptions = {};
  if (thinking.thinkingBudget !== undefined && thinking.thinkingBudget >= 0) reasoning.budgetTokens = thinking.thinkingBudget;
  const level = thinking.thinkingLevel?.toLowerCase();
  if (level !== undefined && isEffort(level)) reasoning.effort = level;
  const asked = thinking.thinkingBudget !== undefined || (level !== undefined && isEffort(level));
  return asked ? reasoning : undefined;
};

const otherThinkingConfig = (thinking: NonNullable<GeminiGenerationConfig['thinkingConfig']>): JsonObject => {
  const level = thinking.thinkingLevel?.toLowerCase();
  // A level the canonical model does not know stays Gemini's own.
  const known = level !== undefined && !isEffort(level) ? ['thinkingBudget'] : ['thinkingBudget', 'thinkingLevel'];
  return omitKeys(thinking, known);
};

export const decodeGenerationConfig = (config: GeminiGenerationConfig): DecodedGenerationConfig => {
  const decoded: DecodedGenerationConfig = { sampling: decodeSampling(config) };
  const responseFormat = decodeResponseFormat(config);
  if (responseFormat !== undefined) decoded.responseFormat = responseFormat;
  const reasoning = config.thinkingConfig === undefined ? undefined : decodeReasoning(config.thinkingConfig);
  if (reasoning !== undefined) decoded.reasoning = reasoning;
  // A mime type other than JSON or plain text (e.g. text/x.enum) keeps its schema with it.
  const known = responseFormat === undefined ? canonicalFields : [...canonicalFields, ...responseFormatFields];
  const otherGenerationConfig = omitKeys(config, [...known, 'thinkingConfig']);
  const thinking = config.thinkingConfig === undefined ? {} : otherThinkingConfig(config.thinkingConfig);
  if (Object.keys(thinking).length > 0) otherGenerationConfig['thinkingConfig'] = thinking;
  if (Object.keys(otherGenerationConfig).length > 0) decoded.otherGenerationConfig = otherGenerationConfig;
  return decoded;
};
