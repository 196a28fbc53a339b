import type { JsonObject, TokenUsage } from '../../core/model/index.ts';
import type { OpenaiUsage } from './response-schemas.ts';

/**
 * OpenAI usage to canonical usage and back. The canonical semantics are OpenAI's, so this only
 * renames: cached and cache-write tokens are already inside `prompt_tokens`, reasoning tokens inside
 * `completion_tokens`. https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage
 */
export const decodeOpenaiUsage = (usage: OpenaiUsage): TokenUsage => {
  const decoded: TokenUsage = { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined && cached !== null) decoded.cachedInputTokens = cached;
  const cacheWrite = usage.prompt_tokens_details?.cache_write_tokens;
  if (cacheWrite !== undefined && cacheWrite !== null) decoded.cacheWriteInputTokens = cacheWrite;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (reasoning !== undefined && reasoning !== null) decoded.reasoningTokens = reasoning;
  return decoded;
};

export const encodeOpenaiUsage = (usage: TokenUsage): JsonObject => {
  const encoded: JsonObject = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  const promptDetails: JsonObject = {};
  if (usage.cachedInputTokens !== undefined) promptDetails['cached_tokens'] = usage.cachedInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) promptDetails['cache_write_tokens'] = usage.cacheWriteInputTokens;
  if (Object.keys(promptDetails).length > 0) encoded['prompt_tokens_details'] = promptDetails;
  if (usage.reasoningTokens !== undefined) encoded['completion_tokens_details'] = { reasoning_tokens: usage.reasoningTokens };
  return encoded;
};
