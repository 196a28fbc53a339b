import { z } from 'zod';
import { budgetsSchema } from '../cost/budgets/budget-schema.ts';
import { qualitySchema } from '../observability/quality/quality-schema.ts';
import { optionalSecretSchema, providerConfigSchema } from '../providers/provider-config-schema.ts';
import { circuitBreakerOptionsSchema } from '../resilience/circuit-breaker.ts';
import { deploymentLimiterOptionsSchema } from '../resilience/adaptive-limits/deployment-limiter-options.ts';
import { retryOptionsSchema } from '../resilience/retry.ts';
import { timeoutOptionsSchema } from '../resilience/timeout.ts';
import { modelSchema } from '../routing/route-config-schema.ts';
import { keyLimitsSchema } from '../stages/admission/key-limits-schema.ts';
import { queueOptionsSchema } from '../stages/admission/queue-options-schema.ts';
import { prioritySchema } from '../stages/admission/request-priority.ts';
import { degradationOptionsSchema, degradationOverridesSchema } from '../stages/degradation/degradation-options.ts';
import { outputValidationOptionsSchema, outputValidationOverridesSchema } from '../stages/output-validation/output-validation-options.ts';

/** A model alias with the per-route overrides of the reliability options. */
const routeSchema = modelSchema.extend({
  outputValidation: outputValidationOverridesSchema.optional(),
  degradation: degradationOverridesSchema.optional(),
});

/**
 * Where limits and breakers keep their state. `auto`: in memory for one process, the SQLite file for
 * `--workers N`. `redis` holds them across hosts; while Redis is unreachable each process falls back to
 * local limits (`fallback: local`) or fails the calls (`none`).
 */
const sharedStateSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('auto') }),
    z.strictObject({ kind: z.literal('memory') }),
    z.strictObject({ kind: z.literal('sqlite') }),
    z.strictObject({
      kind: z.literal('redis'),
      url: z.string().min(1),
      namespace: z.string().min(1).optional(),
      fallback: z.enum(['local', 'none']).default('local'),
      commandTimeoutMs: z.number().int().positive().default(100),
    }),
  ])
  .default({ kind: 'auto' });

const reliabilitySchema = z
  .strictObject({
    retry: retryOptionsSchema.prefault({}),
    timeouts: timeoutOptionsSchema.prefault({}),
    circuitBreaker: circuitBreakerOptionsSchema.prefault({}),
    // Off unless asked for: with no limits configured or learned, local buckets would only guess.
    deploymentLimits: deploymentLimiterOptionsSchema.extend({ enabled: z.boolean().default(false) }).prefault({}),
    queue: queueOptionsSchema.prefault({}),
    outputValidation: outputValidationOptionsSchema.prefault({}),
    degradation: degradationOptionsSchema.prefault({}),
  })
  .prefault({});

/** Limits and priority for keys that do not set their own. */
const keyPolicySchema = z
  .strictObject({
    defaultLimits: keyLimitsSchema.prefault({}),
    defaultPriority: prioritySchema.default('normal'),
  })
  .prefault({});

/**
 * Prometheus `GET /metrics`. With a `token`, scrapers send it as a bearer token; without one, only
 * loopback callers are answered. `enabled` and the label options take effect on restart.
 */
const metricsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    token: optionalSecretSchema,
    /** Label request, token and cost series with the virtual key id (bounded by `maxKeyLabels`). */
    perKeyLabels: z.boolean().default(false),
    maxKeyLabels: z.number().int().positive().default(1000),
  })
  .prefault({});

/**
 * OpenTelemetry traces (docs/tracing.md): a span per chat request and one per provider attempt, sent
 * over OTLP/HTTP. Off by default; when off, no tracing code runs. Takes effect on restart.
 */
const tracingSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** `service.name` of the exported spans. */
    serviceName: z.string().min(1).default('bulwark'),
    /** Share of new traces recorded (0 to 1); a caller's `traceparent` sampling decision is followed. */
    sampleRatio: z.number().min(0).max(1).default(1),
    otlp: z
      .strictObject({
        /** The OTLP/HTTP traces endpoint, path included. */
        endpoint: z.url({ protocol: /^https?$/ }).default('http://localhost:4318/v1/traces'),
        /** Sent with every export (a collector's API key: use `${ENV}`). */
        headers: z.record(z.string(), z.string()).default({}),
      })
      .prefault({}),
  })
  .prefault({});

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
  models: z.record(z.string().min(1), routeSchema).default({}),
  sharedState: sharedStateSchema,
  reliability: reliabilitySchema,
  keys: keyPolicySchema,
  metrics: metricsSchema,
  tracing: tracingSchema,
  quality: qualitySchema,
  /** The web dashboard at `/dashboard` (docs/dashboard.md); its data needs `server.adminToken`. */
  dashboard: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  /** Monthly spend budgets shown as burn-down charts on the dashboard (docs/analytics.md); they do not block requests. */
  budgets: budgetsSchema,
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
  config.budgets.forEach((budget, index) => {
    if (budget.model === undefined || Object.hasOwn(config.models, budget.model)) return;
    context.addIssue({ code: 'custom', path: ['budgets', index, 'model'], message: `unknown model alias "${budget.model}"` });
  });
});

export type Config = z.output<typeof configSchema>;
export type { ProviderConfig, ProviderType } from '../providers/provider-config-schema.ts';
export type { ModelConfig, PriceConfig, TargetConfig } from '../routing/route-config-schema.ts';
