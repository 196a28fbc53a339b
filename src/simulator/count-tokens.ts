import { createRequire } from 'node:module';

type O200k = typeof import('gpt-tokenizer/encoding/o200k_base');

/**
 * The o200k tables cost ~70 MiB and ~150 ms: loaded on the simulator's first count, not by every
 * process that imports the CLI (the gateway included). Synchronous, as the simulator's planning is.
 */
const require = createRequire(import.meta.url);
let o200k: O200k | undefined;
const tokenizer = (): O200k => {
  o200k ??= require('gpt-tokenizer/encoding/o200k_base') as O200k;
  return o200k;
};

/**
 * Token counting for the simulator: o200k_base (GPT-4o's encoding) stands in for every provider's
 * tokenizer. Text the caller sent may contain special-token strings such as `<|endoftext|>`; they
 * count as ordinary text instead of throwing.
 */
const asPlainText = { disallowedSpecial: new Set<string>() };

export const countTextTokens = (text: string): number => (text === '' ? 0 : tokenizer().countTokens(text, asPlainText));

export const encodeText = (text: string): number[] => tokenizer().encode(text, asPlainText);

export const decodeTokens = (tokens: readonly number[]): string => tokenizer().decode(tokens);

/** The first `limit` tokens of `text`, decoded back to text. */
export const truncateToTokens = (text: string, limit: number): string => {
  const tokens = encodeText(text);
  return tokens.length <= limit ? text : tokenizer().decode(tokens.slice(0, Math.max(0, limit)));
};
