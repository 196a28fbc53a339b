import type { FinishReason } from '../../core/model/index.ts';

/**
 * Gemini's Candidate.FinishReason (https://ai.google.dev/api/generate-content#FinishReason) and
 * PromptFeedback.BlockReason in the canonical vocabulary. Gemini says STOP whether or not the model
 * called functions, so the caller tells whether the candidate holds function calls.
 */
const contentFilterReasons: ReadonlySet<string> = new Set([
  'SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'MODEL_ARMOR',
]);

export const mapGeminiFinishReason = (reason: string, hasToolCalls: boolean): FinishReason => {
  if (reason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (contentFilterReasons.has(reason)) return 'content-filter';
  return 'other';
};

/**
 * The Gemini finish reason for a canonical one. The provider's own word is kept where it still means
 * the same (a same-format call returns Gemini's exact reason); otherwise the closest Gemini reason.
 */
export const toGeminiFinishReason = (reason: FinishReason, rawReason: string | undefined, hasToolCalls: boolean): string => {
  if (rawReason !== undefined && /^[A-Z_]+$/.test(rawReason) && mapGeminiFinishReason(rawReason, hasToolCalls) === reason) {
    return rawReason;
  }
  if (reason === 'stop' || reason === 'tool-calls') return 'STOP';
  if (reason === 'length') return 'MAX_TOKENS';
  if (reason === 'content-filter') return 'SAFETY';
  return 'OTHER';
};
