import type { ProviderType } from '../provider-config-schema.ts';
import { parseRetryAfter } from '../../formats/shared/classify-upstream-status.ts';
import { parseGoDuration } from './parse-go-duration.ts';

/**
 * One rate-limit window as a provider states it. Each field is there only when its header was present
 * and well formed: Azure OpenAI often sends `x-ratelimit-remaining-*` without the limit or the reset.
 */
export interface RateLimitWindow {
  /** The most the window allows (requests or tokens per window). */
  limit?: number;
  /** What is left of it now. */
  remaining?: number;
  /** Seconds until the window is fully replenished. */
  resetSeconds?: number;
}

/** What a provider's response headers say about its rate limits. Empty when they say nothing. */
export interface RateLimitInfo {
  requests?: RateLimitWindow;
  /** Anthropic: the most restrictive token limit in effect; OpenAI: tokens (input + output). */
  tokens?: RateLimitWindow;
  /** Anthropic only: the input- and output-token limits behind `tokens`. */
  inputTokens?: RateLimitWindow;
  outputTokens?: RateLimitWindow;
  /** From `Retry-After` or `retry-after-ms`, any provider. */
  retryAfterSeconds?: number;
}

type ResetParser = (value: string, now: number) => number | undefined;

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Anthropic writes the reset as an RFC 3339 time; a time already past means "now". */
const parseResetTime: ResetParser = (value, now) => {
  const trimmed = value.trim();
  if (!rfc3339.test(trimmed)) return undefined;
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? undefined : Math.max(0, (time - now) / 1000);
};

const parseResetDuration: ResetParser = (value) => parseGoDuration(value);

/** A count header: a non-negative integer. Azure has been seen sending `-1`, which means "unknown". */
const parseCount = (value: string | null): number | undefined => {
  if (value === null) return undefined;
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
};

const readWindow = (
  headers: Headers,
  names: { limit: string; remaining: string; reset: string },
  parseReset: ResetParser,
  now: number,
): RateLimitWindow | undefined => {
  const window: RateLimitWindow = {};
  const limit = parseCount(headers.get(names.limit));
  // A limit of 0 would stop all traffic; no provider advertises one, so it is a malformed header.
  if (limit !== undefined && limit > 0) window.limit = limit;
  const remaining = parseCount(headers.get(names.remaining));
  if (remaining !== undefined) window.remaining = remaining;
  const reset = headers.get(names.reset);
  const resetSeconds = reset === null ? undefined : parseReset(reset, now);
  if (resetSeconds !== undefined) window.resetSeconds = resetSeconds;
  return Object.keys(window).length === 0 ? undefined : window;
};

/** https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers (Azure uses the same names). */
const openaiWindow = (headers: Headers, kind: 'requests' | 'tokens', now: number): RateLimitWindow | undefined =>
  readWindow(
    headers,
    { limit: `x-ratelimit-limit-${kind}`, remaining: `x-ratelimit-remaining-${kind}`, reset: `x-ratelimit-reset-${kind}` },
    parseResetDuration,
    now,
  );

/** https://docs.anthropic.com/en/api/rate-limits#response-headers */
const anthropicWindow = (headers: Headers, kind: 'requests' | 'tokens' | 'input-tokens' | 'output-tokens', now: number): RateLimitWindow | undefined =>
  readWindow(
    headers,
    { limit: `anthropic-ratelimit-${kind}-limit`, remaining: `anthropic-ratelimit-${kind}-remaining`, reset: `anthropic-ratelimit-${kind}-reset` },
    parseResetTime,
    now,
  );

const assign = <Key extends keyof RateLimitInfo>(info: RateLimitInfo, key: Key, value: RateLimitInfo[Key] | undefined): void => {
  if (value !== undefined) info[key] = value;
};

/**
 * Reads a provider's rate-limit headers into one shape, for the deployment limiter to learn capacity
 * from. OpenAI, Azure OpenAI and OpenAI-compatible servers (Groq, vLLM, OpenRouter follow OpenAI's
 * names) use `x-ratelimit-*` with Go-style durations; Anthropic uses `anthropic-ratelimit-*` with
 * RFC 3339 times. Gemini and Bedrock state their limits in no header. Malformed values are left out,
 * never guessed. `now` (epoch ms) turns Anthropic's reset times into seconds.
 */
export const parseRateLimitHeaders = (providerType: ProviderType, headers: Headers, now: number = Date.now()): RateLimitInfo => {
  const info: RateLimitInfo = {};
  switch (providerType) {
    case 'openai':
    case 'azure-openai':
    case 'openai-compatible':
      assign(info, 'requests', openaiWindow(headers, 'requests', now));
      assign(info, 'tokens', openaiWindow(headers, 'tokens', now));
      break;
    case 'anthropic':
      assign(info, 'requests', anthropicWindow(headers, 'requests', now));
      assign(info, 'tokens', anthropicWindow(headers, 'tokens', now));
      assign(info, 'inputTokens', anthropicWindow(headers, 'input-tokens', now));
      assign(info, 'outputTokens', anthropicWindow(headers, 'output-tokens', now));
      break;
    case 'gemini':
    case 'bedrock':
      break;
  }
  assign(info, 'retryAfterSeconds', parseRetryAfter(headers, now));
  return info;
};
