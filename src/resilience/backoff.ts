import { z } from 'zod';

export const backoffOptionsSchema = z
  .strictObject({
    /** The cap of the first retry's wait; it doubles with each retry. */
    baseMs: z.number().int().positive().default(250),
    /** No wait is drawn above this, however many retries came before. */
    maxMs: z.number().int().positive().default(8_000),
  })
  .refine((options) => options.maxMs >= options.baseMs, { message: 'maxMs must be at least baseMs', path: ['maxMs'] });

export type BackoffOptions = z.infer<typeof backoffOptionsSchema>;

/** The wait before retry number `retry` (0 for the first retry), in milliseconds. */
export type Backoff = (retry: number) => number;

/** 2^30 × baseMs is beyond any sane cap: stop doubling there rather than reach Infinity. */
const maxExponent = 30;

/**
 * Exponential backoff with full jitter: a wait drawn uniformly from [0, min(maxMs, baseMs·2^retry)).
 * Spreading the waits over the whole range, rather than around the exponential value, is what keeps
 * many clients failing at once from retrying in lockstep ("Exponential Backoff And Jitter", AWS
 * Architecture Blog, https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * `random` returns [0, 1), like Math.random; tests pass their own.
 */
export const createBackoff =
  (options: BackoffOptions, random: () => number = Math.random): Backoff =>
  (retry) => {
    const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(0, retry), maxExponent));
    return Math.floor(random() * ceiling);
  };
