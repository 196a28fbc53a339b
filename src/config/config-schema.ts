import { z } from 'zod';
import { Secret } from './secret.ts';

/**
 * A credential that may be left empty (`${OPENAI_API_KEY:-}` in the shipped config): the provider then
 * starts, and refuses calls with a clear `upstream_authentication_failed` until a key is set.
 */
const optionalSecret = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : new Secret(value)));

/** USD per million tokens. Overrides the price catalog for one deployment. */
const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});

const httpProviderFields = {
  baseUrl: z.url().optional(),
  /** Extra headers sent with every upstream request (e.g. OpenRouter's `HTTP-Referer`). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Keep-alive connections per upstream origin. */
  connections: z.number().int().positive().default(128),
};

const openaiProvider = z.strictObject({
  type: z.literal('openai'),
  apiKey: optionalSecret,
  organization: z.string().optional(),
  project: z.string().optional(),
  ...httpProviderFields,
});

const openaiCompatibleProvider = z.strictObject({
  type: z.literal('openai-compatible'),
  /** Optional: local servers such as Ollama or vLLM often need none. */
  apiKey: optionalSecret,
  ...httpProviderFields,
  baseUrl: z.url(),
});

const azureOpenaiProvider = z.strictObject({
  type: z.literal('azure-openai'),
  apiKey: optionalSecret,
  /** e.g. https://my-resource.openai.azure.com */
  ...httpProviderFields,
  baseUrl: z.url(),
  apiVersion: z.string().default('2024-10-21'),
});

const anthropicProvider = z.strictObject({
  type: z.literal('anthropic'),
  apiKey: optionalSecret,
  version: z.string().default('2023-06-01'),
  ...httpProviderFields,
});

const geminiProvider = z.strictObject({
  type: z.literal('gemini'),
  apiKey: optionalSecret,
  ...httpProviderFields,
});

const bedrockProvider = z.strictObject({
  type: z.literal('bedrock'),
  region: z.string().min(1),
  accessKeyId: optionalSecret,
  secretAccessKey: optionalSecret,
  sessionToken: optionalSecret,
  ...httpProviderFields,
});

export const providerConfigSchema = z.discriminatedUnion('type', [
  openaiProvider,
  openaiCompatibleProvider,
  azureOpenaiProvider,
  anthropicProvider,
  geminiProvider,
  bedrockProvider,
]);

/** One place a model alias can be served: a provider and its name for the model. */
const targetSchema = z.strictObject({
  provider: z.string().min(1),
  /** The provider's model name (Azure: the deployment name; Bedrock: the model id or ARN). */
  model: z.string().min(1),
  /** Overrides the catalog price. */
  price: priceSchema.optional(),
  /** Region the deployment runs in, for residency policies (informational for now). */
  region: z.string().optional(),
});

const modelSchema = z.strictObject({
  targets: z.array(targetSchema).min(1),
  /** What the model serves: chat (default) or embeddings. */
  kind: z.enum(['chat', 'embeddings']).default('chat'),
});

const configObjectSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8787),
      bodyLimitBytes: z.number().int().positive().default(4 * 1024 * 1024),
      /** Header a caller may use to name its end user when the body does not. */
      endUserHeader: z.string().default('x-bulwark-user'),
      adminToken: optionalSecret,
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
export type ProviderConfig = z.output<typeof providerConfigSchema>;
export type ProviderType = ProviderConfig['type'];
export type ModelConfig = z.output<typeof modelSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type PriceConfig = z.output<typeof priceSchema>;
