import type { ProviderFamily } from './provider-family.ts';
import type { RateLimitSnapshot } from './rate-limit-window.ts';

/** OpenAI writes durations like `120ms`, `8.64s` or `6m0s`. */
export const formatOpenaiDuration = (milliseconds: number): string => {
  const rounded = Math.max(0, Math.round(milliseconds));
  if (rounded < 1000) return `${rounded}ms`;
  if (rounded < 60_000) return `${Number((rounded / 1000).toFixed(3))}s`;
  return `${Math.floor(rounded / 60_000)}m${Number(((rounded % 60_000) / 1000).toFixed(3))}s`;
};

/**
 * The rate-limit headers a provider family sends with every answer. OpenAI and Azure:
 * https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers; Anthropic:
 * https://docs.anthropic.com/en/api/rate-limits#response-headers. Gemini and Bedrock send none.
 */
export const rateLimitHeaders = (family: ProviderFamily, snapshot: RateLimitSnapshot): Record<string, string> => {
  switch (family) {
    case 'openai':
    case 'azure': {
      const reset = formatOpenaiDuration(snapshot.resetInMs);
      return {
        'x-ratelimit-limit-requests': String(snapshot.requestsLimit),
        'x-ratelimit-limit-tokens': String(snapshot.tokensLimit),
        'x-ratelimit-remaining-requests': String(snapshot.requestsRemaining),
        'x-ratelimit-remaining-tokens': String(snapshot.tokensRemaining),
        'x-ratelimit-reset-requests': reset,
        'x-ratelimit-reset-tokens': reset,
      };
    }
    case 'anthropic': {
      const reset = new Date(snapshot.resetAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const headers: Record<string, string> = {
        'anthropic-ratelimit-requests-limit': String(snapshot.requestsLimit),
        'anthropic-ratelimit-requests-remaining': String(snapshot.requestsRemaining),
        'anthropic-ratelimit-requests-reset': reset,
      };
      for (const kind of ['tokens', 'input-tokens', 'output-tokens']) {
        headers[`anthropic-ratelimit-${kind}-limit`] = String(snapshot.tokensLimit);
        headers[`anthropic-ratelimit-${kind}-remaining`] = String(snapshot.tokensRemaining);
        headers[`anthropic-ratelimit-${kind}-reset`] = reset;
      }
      return headers;
    }
    case 'gemini':
    case 'bedrock':
      return {};
  }
};
