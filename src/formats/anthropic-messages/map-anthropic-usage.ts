import type { TokenUsage } from '../../core/model/index.ts';

/** Anthropic's usage counters, as a Message, `message_start` or `message_delta` carries them. */
export interface AnthropicUsageCounters {
  input_tokens?: number | null | undefined;
  output_tokens?: number | null | undefined;
  cache_creation_input_tokens?: number | null | undefined;
  cache_read_input_tokens?: number | null | undefined;
  output_tokens_details?: { thinking_tokens?: number | null | undefined } | null | undefined;
}

/**
 * Anthropic counts cache reads and writes apart from `input_tokens`
 * (https://platform.claude.com/docs/en/build-with-claude/prompt-caching#tracking-cache-performance);
 * canonical `inputTokens` counts every input token, so they are added in here.
 */
export const decodeAnthropicUsage = (usage: AnthropicUsageCounters): TokenUsage => {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const decoded: TokenUsage = { inputTokens: (usage.input_tokens ?? 0) + cacheRead + cacheWrite, outputTokens: usage.output_tokens ?? 0 };
  if (cacheRead > 0) decoded.cachedInputTokens = cacheRead;
  if (cacheWrite > 0) decoded.cacheWriteInputTokens = cacheWrite;
  const thinking = usage.output_tokens_details?.thinking_tokens ?? 0;
  if (thinking > 0) decoded.reasoningTokens = thinking;
  return decoded;
};

export interface EncodedAnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  output_tokens_details?: { thinking_tokens: number };
}

/** The reverse of {@link decodeAnthropicUsage}: cache reads and writes are taken out of the input count. */
export const encodeAnthropicUsage = (usage: TokenUsage): EncodedAnthropicUsage => {
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const encoded: EncodedAnthropicUsage = {
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage.outputTokens,
  };
  if (usage.reasoningTokens !== undefined) encoded.output_tokens_details = { thinking_tokens: usage.reasoningTokens };
  return encoded;
};
