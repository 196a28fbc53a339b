/**
 * Tokens a call consumed. The canonical semantics follow OpenAI's, which every codec converts to:
 *
 * - `inputTokens` counts every input token, including those read from or written to a prompt cache
 *   (Anthropic reports these apart; its codec adds them in and takes them out again).
 * - `outputTokens` counts every generated token, including reasoning tokens (Gemini reports thoughts
 *   apart; its codec adds them in).
 * - `cachedInputTokens` ⊆ inputTokens: read from the provider's prompt cache (billed cheaper).
 * - `cacheWriteInputTokens` ⊆ inputTokens: written to it (billed dearer at Anthropic).
 * - `reasoningTokens` ⊆ outputTokens.
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteInputTokens?: number;
  reasoningTokens?: number;
}

export const emptyUsage = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0 });
