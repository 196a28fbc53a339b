import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { Message } from '../core/model/index.ts';

/**
 * Estimates tokens where the provider reported none (a stream cut off before its usage event). The
 * o200k tokenizer is exact for current OpenAI models and within a few percent for other families,
 * which is close enough to bill a broken stream rather than count it as free.
 */
export const estimateTextTokens = (text: string): number => (text === '' ? 0 : countTokens(text));

/** Estimated input tokens of a conversation: its text, plus a few tokens per message of framing. */
export const estimateMessageTokens = (messages: readonly Message[]): number => {
  let total = 0;
  for (const message of messages) {
    total += 4;
    for (const part of message.content) {
      if (part.type === 'text') total += estimateTextTokens(part.text);
      else if (part.type === 'tool-call') total += estimateTextTokens(part.name) + estimateTextTokens(part.arguments);
      else if (part.type === 'tool-result') {
        for (const inner of part.content) if (inner.type === 'text') total += estimateTextTokens(inner.text);
      } else if (part.type === 'reasoning') total += estimateTextTokens(part.text);
      else total += 85; // an image: OpenAI's low-detail cost, a floor for every provider
    }
  }
  return total;
};
