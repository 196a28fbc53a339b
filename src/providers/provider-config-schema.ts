import { z } from 'zod';
import { Secret } from '../core/secret.ts';

/**
 * A credential that may be left empty (`${OPENAI_API_KEY:-}` in the shipped config): the provider then
 * starts, and refuses calls with a clear `upstream_authentication_failed` until a key is set.
 */
export const optionalSecretSchema = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : new Secret(value)));

const httpProviderFields = {
  baseUrl: z.url().optional(),
  /** Extra headers sent with every upstream request (e.g. OpenRouter's `HTTP-Referer`). */
  headers: z.record(z.string(), z.string()).default({}),
  /** Keep-alive connections per upstream origin. */
  connections: z.number().int().positive().default(128),
  /** Time allowed to open a TCP (and TLS) connection; a failure is `upstream_connection_failed`, which falls back. */
  connectTimeoutMs: z.number().int().positive().default(10_000),
};

const openaiProvider = z.strictObject({
  type: z.literal('openai'),
  apiKey: optionalSecretSchema,
  organization: z.string().optional(),
  project: z.string().optional(),
  ...httpProviderFields,
});

const openaiCompatibleProvider = z.strictObject({
  type: z.literal('openai-compatible'),
  /** Optional: local servers such as Ollama or vLLM often need none. */
  apiKey: optionalSecretSchema,
  ...httpProviderFields,
  baseUrl: z.url(),
});

const azureOpenaiProvider = z.strictObject({
  type: z.literal('azure-openai'),
  apiKey: optionalSecretSchema,
  /** e.g. https://my-resource.openai.azure.com */
  ...httpProviderFields,
  baseUrl: z.url(),
  apiVersion: z.string().default('2024-10-21'),
});

const anthropicProvider = z.strictObject({
  type: z.literal('anthropic'),
  apiKey: optionalSecretSchema,
  version: z.string().default('2023-06-01'),
  ...httpProviderFields,
});

const geminiProvider = z.strictObject({
  type: z.literal('gemini'),
  apiKey: optionalSecretSchema,
  ...httpProviderFields,
});

const bedrockProvider = z.strictObject({
  type: z.literal('bedrock'),
  region: z.string().min(1),
  accessKeyId: optionalSecretSchema,
  secretAccessKey: optionalSecretSchema,
  sessionToken: optionalSecretSchema,
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

export type ProviderConfig = z.output<typeof providerConfigSchema>;
export type ProviderType = ProviderConfig['type'];
