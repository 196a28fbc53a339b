import type { ProviderConfig } from './provider-config-schema.ts';
import { openaiChatFormat } from '../formats/openai-chat/index.ts';
import { openaiEmbeddingsFormat } from '../formats/openai-embeddings/index.ts';
import { parseBaseUrl } from './base-url.ts';
import { defineHttpProvider } from './define-http-provider.ts';
import { includeStreamUsage } from './include-stream-usage.ts';
import { requiredHeaderAuthentication } from './http-authentication.ts';
import type { Provider } from './provider.ts';

export type AzureOpenaiProviderConfig = Extract<ProviderConfig, { type: 'azure-openai' }>;

/**
 * Azure OpenAI: the OpenAI wire format behind per-deployment URLs and an `api-key` header
 * (https://learn.microsoft.com/en-us/azure/ai-services/openai/reference). The target's model is the
 * deployment name.
 */
export const createAzureOpenaiProvider = (name: string, config: AzureOpenaiProviderConfig): Provider => {
  const { origin, basePath } = parseBaseUrl(config.baseUrl);
  const apiVersion = `api-version=${encodeURIComponent(config.apiVersion)}`;
  const deploymentPath = (deployment: string, operation: string): string =>
    `${basePath}/openai/deployments/${encodeURIComponent(deployment)}/${operation}?${apiVersion}`;
  const chatPath = (deployment: string): string => deploymentPath(deployment, 'chat/completions');
  return defineHttpProvider({
    name,
    type: config.type,
    format: openaiChatFormat,
    origin,
    endpoints: { chat: chatPath, stream: chatPath },
    embeddings: { format: openaiEmbeddingsFormat, path: (deployment) => deploymentPath(deployment, 'embeddings') },
    authenticate: requiredHeaderAuthentication(name, 'apiKey', config.apiKey, 'api-key'),
    headers: config.headers,
    prepareStreamBody: includeStreamUsage,
    connections: config.connections,
    connectTimeoutMs: config.connectTimeoutMs,
    secrets: [config.apiKey],
  });
};
