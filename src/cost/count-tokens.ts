import type { Message } from '../core/model/index.ts';

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base');

/**
 * The o200k tables cost ~70 MiB and ~150 ms to load, and are needed only for a stream cut off before
 * its usage event: loaded on the first such stream, once, instead of at startup in every process.
 */
let tokenizer: Promise<Tokenizer> | undefined;
const loadTokenizer = (): Promise<Tokenizer> => {
  tokenizer ??= import('gpt-tokenizer/encoding/o200k_base');
  return tokenizer;
};

const countText = (counter: Tokenizer, text: string): number => (text === '' ? 0 : counter.countTokens(text));

/** Estimated input tokens of a conversation: its text, plus a few tokens per message of framing. */
const countMessages = (counter: Tokenizer, messages: readonly Message[]): number => {
  let total = 0;
  for (const message of messages) {
    total += 4;
    for (const part of message.content) {
      if (part.type === 'text') total += countText(counter, part.text);
      else if (part.type === 'tool-call') total += countText(counter, part.name) + countText(counter, part.arguments);
      else if (part.type === 'tool-result') {
        for (const inner of part.content) if (inner.type === 'text') total += countText(counter, inner.text);
      } else if (part.type === 'reasoning') total += countText(counter, part.text);
      else total += 85; // an image: OpenAI's low-detail cost, a floor for every provider
    }
  }
  return total;
};

/**
 * Estimates tokens where the provider reported none (a stream cut off before its usage event). The
 * o200k tokenizer is exact for current OpenAI models and within a few percent for other families,
 * which is close enough to bill a broken stream rather than count it as free.
 */
export const estimateTextTokens = async (text: string): Promise<number> => (text === '' ? 0 : countText(await loadTokenizer(), text));

/** Estimated input tokens of a conversation: its text, plus a few tokens per message of framing. */
export const estimateMessageTokens = async (messages: readonly Message[]): Promise<number> => countMessages(await loadTokenizer(), messages);

/** Both estimates of a stream that ended without usage, with one wait for the tokenizer. */
export const estimateUsage = async (messages: readonly Message[], generatedText: string): Promise<{ inputTokens: number; outputTokens: number }> => {
  const counter = await loadTokenizer();
  return { inputTokens: countMessages(counter, messages), outputTokens: countText(counter, generatedText) };
};
