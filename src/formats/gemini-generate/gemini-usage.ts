import type { JsonObject, TokenUsage } from '../../core/model/index.ts';
import type { GeminiUsageMetadata } from './schemas.ts';

/**
 * UsageMetadata (https://ai.google.dev/api/generate-content#UsageMetadata) in canonical terms. Gemini
 * counts thinking apart from the answer (thoughtsTokenCount beside candidatesTokenCount); canonical
 * output counts both. Tokens of tool-use prompts (toolUsePromptTokenCount, e.g. search results fed to
 * the model) are input. Cached content is part of promptTokenCount already.
 */
export const decodeUsageMetadata = (usage: GeminiUsageMetadata | undefined): TokenUsage => {
  const thoughts = usage?.thoughtsTokenCount;
  const decoded: TokenUsage = {
    inputTokens: (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0),
    outputTokens: (usage?.candidatesTokenCount ?? 0) + (thoughts ?? 0),
  };
  if (usage?.cachedContentTokenCount !== undefined) decoded.cachedInputTokens = usage.cachedContentTokenCount;
  if (thoughts !== undefined) decoded.reasoningTokens = thoughts;
  return decoded;
};

export const encodeUsageMetadata = (usage: TokenUsage): JsonObject => {
  const thoughts = usage.reasoningTokens ?? 0;
  const encoded: JsonObject = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughts),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) encoded['cachedContentTokenCount'] = usage.cachedInputTokens;
  if (usage.reasoningTokens !== undefined) encoded['thoughtsTokenCount'] = usage.reasoningTokens;
  return encoded;
};
