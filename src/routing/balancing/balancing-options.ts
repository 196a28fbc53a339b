import { z } from 'zod';
import { balancingStrategies } from './order-targets.ts';

/**
 * A model alias's `balancing` block. Embed it as `balancing: balancingOptionsSchema.prefault({})` so an
 * alias without one gets the defaults (`ordered`: plain failover in config order).
 *
 * ```yaml
 * models:
 *   gpt-4o:
 *     balancing: { strategy: weighted }
 *     targets:
 *       - { provider: azure-eastus, model: gpt-4o, weight: 3 }
 *       - { provider: azure-westeurope, model: gpt-4o, weight: 1 }
 *       - { provider: openai, model: gpt-4o, weight: 0 }   # only ever a fallback
 * ```
 */
export const balancingOptionsSchema = z.strictObject({
  strategy: z.enum(balancingStrategies).default('ordered'),
  /** `least-latency`: chance that a measured but slower deployment goes first, to be measured again. */
  explorationProbability: z.number().min(0).max(1).default(0.05),
});

/** A target's share of traffic under `weighted`; 0 makes it a fallback only. Add to the target schema as `weight`. */
export const targetWeightSchema = z.number().nonnegative().default(1);

export type BalancingOptions = z.output<typeof balancingOptionsSchema>;
