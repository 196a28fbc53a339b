import { z } from 'zod';

/**
 * Limits of one virtual key, as the key's metadata or the config's defaults give them. Each is optional:
 * a limit left out is not enforced. Validated once where keys and config are loaded, trusted inside.
 */
export const keyLimitsSchema = z.strictObject({
  /** Requests started per minute, as a token bucket of that size refilled evenly over the minute. */
  requestsPerMinute: z.number().int().positive().optional(),
  /** Input plus output tokens per minute, charged with an estimate before the call and settled after. */
  tokensPerMinute: z.number().int().positive().optional(),
  /** Requests in flight at once, a stream counting until it ends. */
  maxConcurrent: z.number().int().positive().optional(),
});

export type KeyLimits = z.infer<typeof keyLimitsSchema>;

/** A key's own limits over the defaults, field by field: a key may raise one limit and inherit the rest. */
export const mergeKeyLimits = (defaults: KeyLimits | undefined, own: KeyLimits | undefined): KeyLimits => {
  const merged: KeyLimits = {};
  const requestsPerMinute = own?.requestsPerMinute ?? defaults?.requestsPerMinute;
  const tokensPerMinute = own?.tokensPerMinute ?? defaults?.tokensPerMinute;
  const maxConcurrent = own?.maxConcurrent ?? defaults?.maxConcurrent;
  if (requestsPerMinute !== undefined) merged.requestsPerMinute = requestsPerMinute;
  if (tokensPerMinute !== undefined) merged.tokensPerMinute = tokensPerMinute;
  if (maxConcurrent !== undefined) merged.maxConcurrent = maxConcurrent;
  return merged;
};
