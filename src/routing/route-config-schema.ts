import { z } from 'zod';
import { balancingOptionsSchema, targetWeightSchema } from './balancing/balancing-options.ts';

/** USD per million tokens. Overrides the price catalog for one deployment. */
export const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});

/** One place a model alias can be served: a provider and its name for the model. */
export const targetSchema = z.strictObject({
  provider: z.string().min(1),
  /** The provider's model name (Azure: the deployment name; Bedrock: the model id or ARN). */
  model: z.string().min(1),
  /** Overrides the catalog price. */
  price: priceSchema.optional(),
  /** Region the deployment runs in, for residency policies (informational for now). */
  region: z.string().optional(),
  /** Share of traffic under the `weighted` strategy; 0 makes the target a fallback only. */
  weight: targetWeightSchema,
});

export const modelSchema = z.strictObject({
  targets: z.array(targetSchema).min(1),
  /** What the model serves: chat (default) or embeddings. */
  kind: z.enum(['chat', 'embeddings']).default('chat'),
  /** How the first target is chosen; the rest stay fallbacks. */
  balancing: balancingOptionsSchema.prefault({}),
  /**
   * Time to answer (time to first token for streams) the route aims for: a target that cannot meet
   * what is left is cut or skipped for a faster fallback. The header `x-bulwark-latency-budget-ms`
   * sets it per request.
   */
  latencyBudgetMs: z.number().int().positive().optional(),
});

export type ModelConfig = z.output<typeof modelSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type PriceConfig = z.output<typeof priceSchema>;
