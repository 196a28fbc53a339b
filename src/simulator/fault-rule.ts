import { z } from 'zod';

/** The failures the simulator can play, as real providers show them. */
export const faultNames = [
  'rate-limit', 'server-error', 'unavailable', 'overloaded', 'hang', 'reset', 'stream-cut', 'malformed-chunk',
  'empty-content', 'invalid-json',
] as const;

export type FaultName = (typeof faultNames)[number];

export const isFaultName = (value: string): value is FaultName => (faultNames as readonly string[]).includes(value);

/** The header that injects a fault into one request. */
export const faultHeader = 'x-sim-fault';

/**
 * When to inject a fault. A rule applies to requests for `model` (any model when absent); of those,
 * `rate` is the share that fail (all when absent, drawn from the simulator's seeded random source),
 * and `count` caps how many fail in total (unlimited when absent): `{ count: 2 }` fails the first two.
 */
export interface FaultRule {
  fault: FaultName;
  model?: string;
  rate?: number;
  count?: number;
}

export const faultRuleSchema = z.strictObject({
  fault: z.enum(faultNames),
  model: z.string().min(1).optional(),
  rate: z.number().min(0).max(1).optional(),
  count: z.number().int().nonnegative().optional(),
});

/** The control plane's body: a list of rules, or `{ "rules": [...] }`. */
export const faultRulesBodySchema = z.union([
  z.array(faultRuleSchema),
  z.strictObject({ rules: z.array(faultRuleSchema) }).transform((body) => body.rules),
]);
