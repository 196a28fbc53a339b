import type { ChatRequest, JsonObject, JsonValue, ReasoningOptions, ResponseFormat } from '../../core/model/index.ts';

/**
 * Canonical sampling, response format and reasoning as a GenerationConfig
 * (https://ai.google.dev/api/generate-content#generationconfig), over the fields a Gemini caller sent
 * that have no canonical meaning (`other`).
 */

const isJsonObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const encodeResponseFormat = (format: ResponseFormat): JsonObject => {
  if (format.type === 'text') return { responseMimeType: 'text/plain' };
  if (format.type === 'json-object') return { responseMimeType: 'application/json' };
  // responseJsonSchema takes JSON Schema as it is; responseSchema would need Gemini's OpenAPI subset.
  return { responseMimeType: 'application/json', responseJsonSchema: format.schema };
};

/**
 * A budget is thinkingBudget, an effort is thinkingLevel (Gemini 3); Gemini refuses both at once, and
 * the budget is the more precise. Thoughts are asked for (includeThoughts) unless thinking is off or
 * a Gemini caller said otherwise: a caller who asked for reasoning expects to see it.
 * https://ai.google.dev/gemini-api/docs/thinking
 */
const encodeThinkingConfig = (reasoning: ReasoningOptions | undefined, other: JsonObject): JsonObject | undefined => {
  if (reasoning === undefined) return Object.keys(other).length === 0 ? undefined : other;
  const thinking: JsonObject = { ...other };
  if (reasoning.budgetTokens !== undefined) thinking['thinkingBudget'] = reasoning.budgetTokens;
  else if (reasoning.effort !== undefined) thinking['thinkingLevel'] = reasoning.effort;
  if (thinking['includeThoughts'] === undefined && reasoning.budgetTokens !== 0) thinking['includeThoughts'] = true;
  return thinking;
};

export const encodeGenerationConfig = (request: ChatRequest, other: JsonObject): JsonObject => {
  const { thinkingConfig: otherThinking, ...otherFields } = other;
  const config: JsonObject = { ...otherFields };
  const { sampling } = request;
  if (sampling.maxOutputTokens !== undefined) config['maxOutputTokens'] = sampling.maxOutputTokens;
  if (sampling.temperature !== undefined) config['temperature'] = sampling.temperature;
  if (sampling.topP !== undefined) config['topP'] = sampling.topP;
  if (sampling.topK !== undefined) config['topK'] = sampling.topK;
  if (sampling.stopSequences !== undefined) config['stopSequences'] = sampling.stopSequences;
  if (sampling.seed !== undefined) config['seed'] = sampling.seed;
  if (sampling.presencePenalty !== undefined) config['presencePenalty'] = sampling.presencePenalty;
  if (sampling.frequencyPenalty !== undefined) config['frequencyPenalty'] = sampling.frequencyPenalty;
  if (request.responseFormat !== undefined) Object.assign(config, encodeResponseFormat(request.responseFormat));
  const thinking = encodeThinkingConfig(request.reasoning, isJsonObject(otherThinking) ? otherThinking : {});
  if (thinking !== undefined) config['thinkingConfig'] = thinking;
  return config;
};
