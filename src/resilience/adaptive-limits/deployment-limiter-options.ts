import { z } from 'zod';

/** A deployment's per-minute limits. */
export const deploymentLimitsSchema = z.strictObject({
  requestsPerMinute: z.number().positive(),
  tokensPerMinute: z.number().positive(),
});

export type DeploymentLimits = z.output<typeof deploymentLimitsSchema>;

/**
 * The adaptive per-deployment limiter. Each deployment (`provider/model`) has a ceiling — what its
 * provider advertises in rate-limit headers, or until then what is configured here — and a share of it
 * that AIMD adjusts: a 429 multiplies the share by `decrease`, successes add `increase` per window.
 *
 * ```yaml
 * deploymentLimits:
 *   initial: { requestsPerMinute: 500, tokensPerMinute: 200000 }
 *   deployments:
 *     azure-eastus/gpt-4o: { requestsPerMinute: 300, tokensPerMinute: 50000 }
 * ```
 */
export const deploymentLimiterOptionsSchema = z.strictObject({
  /**
   * Where every deployment starts. Generous by default: OpenAI and Anthropic state their real limits
   * on the first answer, and a 429 halves the share for the others (Gemini, Bedrock state none).
   */
  initial: deploymentLimitsSchema.default({ requestsPerMinute: 1000, tokensPerMinute: 1_000_000 }),
  /** Per-deployment starting limits (keys `provider/model`) overriding `initial`. */
  deployments: z.record(z.string().min(1), deploymentLimitsSchema).default({}),
  /** Take the ceiling from the provider's rate-limit headers when it sends them. */
  learnFromHeaders: z.boolean().default(true),
  /** Multiplies the share of the ceiling on an upstream 429. */
  decrease: z.number().gt(0).lt(1).default(0.5),
  /**
   * Share of the ceiling regained over one window of successes, that is as many successes as the
   * current requests-per-minute limit: about one minute of traffic at the limit. 0.1 brings a halved
   * limit back in about five such minutes, like TCP's one segment per round trip.
   */
  increase: z.number().gt(0).max(1).default(0.1),
  /** The share never falls below this, so a deployment is never shut off by 429s alone. */
  floor: z.number().gt(0).max(1).default(0.1),
  /** 429s closer together than this are one signal (a burst of in-flight calls failing together), one decrease. */
  decreaseIntervalMs: z.number().int().nonnegative().default(1000),
  /** Longest local pause taken from an upstream `Retry-After`; past it the provider is simply asked again. */
  maxPauseSeconds: z.number().positive().default(60),
});

export type DeploymentLimiterSettings = z.output<typeof deploymentLimiterOptionsSchema>;
