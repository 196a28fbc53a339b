import type { ErrorCode } from '../../core/errors/index.ts';

/**
 * The error code for a provider's HTTP status when its body says nothing more specific. Codecs refine
 * this with the provider's own error type (e.g. context length exceeded).
 */
export const classifyUpstreamStatus = (status: number): ErrorCode => {
  if (status === 401 || status === 403) return 'upstream_authentication_failed';
  if (status === 404) return 'upstream_not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 503 || status === 529) return 'upstream_overloaded';
  if (status === 504) return 'upstream_timeout';
  if (status >= 500) return 'upstream_server_error';
  if (status >= 400) return 'upstream_bad_request';
  return 'upstream_invalid_response';
};

/**
 * Seconds to wait before retrying, from `Retry-After` (seconds or an HTTP date) or `retry-after-ms`
 * (OpenAI, Azure). Undefined when the provider gave no usable hint.
 */
export const parseRetryAfter = (headers: Headers, now: number = Date.now()): number | undefined => {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\d+(\.\d+)?$/.test(milliseconds.trim())) return Number(milliseconds) / 1000;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
};

/** Parses a body as JSON without throwing: providers' error bodies are not always JSON. */
export const parseJsonLoosely = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
