import { z } from 'zod';
import { optionalSecretSchema, providerConfigSchema } from '../providers/provider-config-schema.ts';
import { modelSchema } from '../routing/route-config-schema.ts';

const configObjectSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8787),
      bodyLimitBytes: z.number().int().positive().default(4 * 1024 * 1024),
      /** Header a caller may use to name its end user when the body does not. */
      endUserHeader: z.string().default('x-bulwark-user'),
      adminToken: optionalSecretSchema,
      /** Time allowed for in-flight requests to finish on shutdown. */
      shutdownGraceMs: z.number().int().nonnegative().default(10_000),
    })
    .prefault({}),
  storage: z
    .strictObject({
      sqlitePath: z.string().default('./data/bulwark.db'),
    })
    .prefault({}),
  requestLog: z
    .strictObject({
      batchSize: z.number().int().positive().default(256),
      flushIntervalMs: z.number().int().positive().default(500),
      /** Store request and response bodies. Off by default: they may hold personal data. */
      storeBodies: z.boolean().default(false),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    })
    .prefault({}),
  providers: z.record(z.string().min(1), providerConfigSchema).default({}),
  models: z.record(z.string().min(1), modelSchema).default({}),
});

/** The whole config, with the cross-references checked: every target names a configured provider. */
export const configSchema = configObjectSchema.superRefine((config, context) => {
  for (const [alias, model] of Object.entries(config.models)) {
    model.targets.forEach((target, index) => {
      if (Object.hasOwn(config.providers, target.provider)) return;
      context.addIssue({
        code: 'custom',
        path: ['models', alias, 'targets', index, 'provider'],
        message: `unknown provider "${target.provider}" (configured: ${Object.keys(config.providers).join(', ') || 'none'})`,
      });
    });
  }
});

export type Config = z.output<typeof configSchema>;
export type { ProviderConfig, ProviderType } from '../providers/provider-config-schema.ts';
export type { ModelConfig, PriceConfig, TargetConfig } from '../routing/route-config-schema.ts';
