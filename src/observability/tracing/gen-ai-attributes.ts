/**
 * The GenAI semantic-convention attribute names Bulwark sets, copied from
 * `@opentelemetry/semantic-conventions/incubating` 1.45 (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/).
 * OpenTelemetry advises copying incubating names rather than importing them: they may change in a minor
 * release. 1.45 names the provider `gen_ai.provider.name` (the older `gen_ai.system` is deprecated).
 */
export const genAi = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
} as const;

/** Bulwark's own attributes, in its own namespace. */
export const bulwarkAttributes = {
  requestId: 'bulwark.request_id',
  keyId: 'bulwark.key_id',
  attempts: 'bulwark.attempts',
  endpoint: 'bulwark.endpoint',
  provider: 'bulwark.provider',
  outcome: 'bulwark.attempt.outcome',
  errorCode: 'bulwark.error_code',
  upstreamStatus: 'bulwark.upstream_status',
  stream: 'bulwark.stream',
  qualityScore: 'bulwark.quality.score',
  validation: 'bulwark.quality.validation',
} as const;

/**
 * The well-known `gen_ai.provider.name` values (GEN_AI_PROVIDER_NAME_VALUE_*) for each provider type of
 * src/providers/provider-config-schema.ts (observability may not import providers: test/architecture.test.ts).
 */
const providerNames: Record<string, string> = {
  openai: 'openai',
  // An OpenAI-compatible server is not OpenAI; the convention says to use a custom value then.
  'openai-compatible': 'openai_compatible',
  'azure-openai': 'azure.ai.openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  bedrock: 'aws.bedrock',
};

export const genAiProviderName = (providerType: string): string =>
  (Object.hasOwn(providerNames, providerType) ? providerNames[providerType] : undefined) ?? providerType;
