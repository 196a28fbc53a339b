import { countTextTokens } from './count-tokens.ts';
import { hashString } from './deterministic-random.ts';
import type { PromptSegment } from './request-segments.ts';

/** The input tokens of a request and the part of them served from or written to the prompt cache. */
export interface InputTokenCount {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
}

/**
 * Anthropic-style prompt caching: each `cache_control` breakpoint ends a prefix; a later request with
 * the same model and an identical prefix reads it from the cache (the longest such prefix wins), and
 * the prompt up to its last breakpoint is written. A small LRU bounds memory.
 */
export class PromptCache {
  readonly #entries = new Map<string, number>();
  readonly #capacity: number;

  constructor(capacity = 1024) {
    this.#capacity = capacity;
  }

  /** Counts the input tokens of a prompt (see `requestSegments`) and updates the cache as the provider would. */
  count(model: string, segments: readonly PromptSegment[]): InputTokenCount {
    let tokens = 0;
    let hash = hashString(model);
    const prefixes: Array<{ key: string; tokens: number }> = [];
    for (const segment of segments) {
      tokens += countTextTokens(segment.text) + segment.extraTokens;
      hash = hashString(segment.text, hash ^ segment.extraTokens);
      if (segment.breakpoint) prefixes.push({ key: `${model}:${hash.toString(36)}:${tokens}`, tokens });
    }
    const last = prefixes.at(-1);
    if (last === undefined) return { inputTokens: tokens, cachedInputTokens: 0, cacheWriteInputTokens: 0 };
    const hit = prefixes.findLast((prefix) => this.#entries.has(prefix.key));
    for (const prefix of prefixes) this.#touch(prefix.key, prefix.tokens);
    const cachedInputTokens = hit?.tokens ?? 0;
    return { inputTokens: tokens, cachedInputTokens, cacheWriteInputTokens: last.tokens - cachedInputTokens };
  }

  #touch(key: string, tokens: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, tokens);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }
}
