import type { TokenUsage } from '../../core/model/index.ts';
import type { BedrockTokenUsage } from './schemas.ts';

/**
 * Bedrock's token usage, both ways.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html
 *
 * Like Anthropic, Bedrock's `inputTokens` counts only the input that was neither read from nor
 * written to the prompt cache: `cacheReadInputTokens` and `cacheWriteInputTokens` come on top. The
 * reference does not say so in words; the peers that bill from these numbers read them that way
 * (Vercel AI SDK `convert-bedrock-usage.ts`: total = inputTokens + cacheRead + cacheWrite; LiteLLM
 * `converse_transformation.py` `_transform_usage` adds both to prompt_tokens). The canonical
 * `inputTokens` includes cached tokens (see core/model/token-usage.ts), so they are added in here
 * and taken out again on the way back.
 */
export const mapBedrockUsage = (usage: BedrockTokenUsage): TokenUsage => {
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const mapped: TokenUsage = { inputTokens: usage.inputTokens + cacheRead + cacheWrite, outputTokens: usage.outputTokens };
  if (usage.cacheReadInputTokens != null) mapped.cachedInputTokens = usage.cacheReadInputTokens;
  if (usage.cacheWriteInputTokens != null) mapped.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  return mapped;
};

/** Canonical usage as Bedrock reports it. `totalTokens` counts every input and output token. */
export const toBedrockUsage = (usage: TokenUsage): BedrockTokenUsage => {
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const encoded: BedrockTokenUsage = {
    inputTokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) encoded.cacheReadInputTokens = usage.cachedInputTokens;
  if (usage.cacheWriteInputTokens !== undefined) encoded.cacheWriteInputTokens = usage.cacheWriteInputTokens;
  return encoded;
};
