import { z } from 'zod';
import { prioritySchema } from './request-priority.ts';

/** A deployment's capacity: `provider/model` → requests in flight at once. */
const deploymentCapacitySchema = z.strictObject({
  maxConcurrent: z.number().int().positive(),
});

/**
 * Options of the priority queue in front of each deployment. Validated once at config load; see
 * `createQueueInterceptor` for what each does.
 */
export const queueOptionsSchema = z.strictObject({
  /** How long a call may wait for capacity when the caller does not say (`x-bulwark-queue-timeout-ms`). */
  defaultTimeoutMs: z.number().int().nonnegative().default(30_000),
  /** The longest wait a caller may ask for. */
  maxTimeoutMs: z.number().int().nonnegative().default(120_000),
  /** Priority of a call whose key and headers name none. */
  defaultPriority: prioritySchema.default('normal'),
  /** A waiter is promoted one class per this many ms waited, so low priority is never starved for ever. */
  agingMs: z.number().int().positive().default(10_000),
  /** Requests in flight per deployment when `deployments` does not name it; unset: only learned from 429s. */
  defaultMaxConcurrent: z.number().int().positive().optional(),
  /** Per deployment, keyed `provider/model`. */
  deployments: z.record(z.string(), deploymentCapacitySchema).default({}),
  /** Waiters per deployment beyond which a call fails over at once instead of queueing. */
  maxQueueDepth: z.number().int().positive().default(10_000),
  /** How long to hold a deployment after a 429 that carries no `Retry-After`. */
  defaultRetryAfterMs: z.number().int().nonnegative().default(1_000),
});

export type QueueOptions = z.infer<typeof queueOptionsSchema>;
