import type { FinishReason } from '../../core/model/index.ts';

/**
 * OpenAI's `finish_reason` in canonical form and back.
 * https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 */

const fromOpenai: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  // Deprecated function calling, still sent by some compatible servers.
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  // Not OpenAI's, but OpenRouter and others end a failed generation this way.
  error: 'error',
};

const toOpenai: Readonly<Record<FinishReason, string>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'error',
  other: 'stop',
};

export interface MappedFinishReason {
  finishReason: FinishReason;
  /** Present only where the canonical reason does not give the provider's word back. */
  rawFinishReason?: string;
}

export const mapOpenaiFinishReason = (raw: string | null | undefined): MappedFinishReason => {
  if (raw === null || raw === undefined) return { finishReason: 'other' };
  const finishReason = Object.hasOwn(fromOpenai, raw) ? fromOpenai[raw] ?? 'other' : 'other';
  return toOpenai[finishReason] === raw ? { finishReason } : { finishReason, rawFinishReason: raw };
};

/**
 * The `finish_reason` to send. The provider's own word is kept when it still means the canonical
 * reason (a same-format passthrough of `function_call`); a stage that changed the reason wins.
 */
export const toOpenaiFinishReason = (finishReason: FinishReason, rawFinishReason?: string): string =>
  rawFinishReason !== undefined && Object.hasOwn(fromOpenai, rawFinishReason) && fromOpenai[rawFinishReason] === finishReason
    ? rawFinishReason
    : toOpenai[finishReason];
