import { z } from 'zod';

export const defaultDegradationMessage = 'I cannot process this request right now. Please try again later.';

const fields = {
  /** Answer with `message` instead of an error when the upstreams fail. Off by default: it hides outages from callers. */
  enabled: z.boolean(),
  /** The answer given instead of the error, as the assistant's text. */
  message: z.string().trim().min(1).max(2_000),
};

export const degradationOptionsSchema = z.strictObject({
  enabled: fields.enabled.default(false),
  message: fields.message.default(defaultDegradationMessage),
});

/** Overrides for one route: absent fields keep the global value (so no defaults here). */
export const degradationOverridesSchema = z.strictObject(fields).partial();

export type DegradationOptions = z.output<typeof degradationOptionsSchema>;
export type DegradationOverrides = z.output<typeof degradationOverridesSchema>;

export const mergeDegradationOptions = (base: DegradationOptions, overrides: DegradationOverrides | undefined): DegradationOptions => ({
  enabled: overrides?.enabled ?? base.enabled,
  message: overrides?.message ?? base.message,
});
