import { countTokens, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Token counting for the simulator: o200k_base (GPT-4o's encoding) stands in for every provider's
 * tokenizer. Text the caller sent may contain special-token strings such as `<|endoftext|>`; they
 * count as ordinary text instead of throwing.
 */
const asPlainText = { disallowedSpecial: new Set<string>() };

export const countTextTokens = (text: string): number => (text === '' ? 0 : countTokens(text, asPlainText));

export const encodeText = (text: string): number[] => encode(text, asPlainText);

export const decodeTokens = (tokens: readonly number[]): string => decode(tokens);

/** The first `limit` tokens of `text`, decoded back to text. */
export const truncateToTokens = (text: string, limit: number): string => {
  const tokens = encodeText(text);
  return tokens.length <= limit ? text : decode(tokens.slice(0, Math.max(0, limit)));
};
