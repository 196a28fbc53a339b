import type { ProviderConfig } from './provider-config-schema.ts';
import { anthropicMessagesFormat } from '../formats/anthropic-messages/index.ts';
import { parseBaseUrl } from './base-url.ts';
import { defineHttpProvider } from './define-http-provider.ts';
import { requiredHeaderAuthentication } from './http-authentication.ts';
import type { Provider } from './provider.ts';

export type AnthropicProviderConfig = Extract<ProviderConfig, { type: 'anthropic' }>;

const defaultBaseUrl = 'https://api.anthropic.com';

/**
 * Anthropic's Messages API (https://docs.claude.com/en/api/messages). It has no embeddings API.
 * No `anthropic-beta` header: the codec sends structured outputs in their GA spelling
 * (`output_config.format`), which needs none.
 */
export const createAnthropicProvider = (name: string, config: AnthropicProviderConfig): Provider => {
  const { origin, basePath } = parseBaseUrl(config.baseUrl ?? defaultBaseUrl);
  const messagesPath = `${basePath}/v1/messages`;
  return defineHttpProvider({
    name,
    type: config.type,
    format: anthropicMessagesFormat,
    origin,
    endpoints: { chat: () => messagesPath, stream: () => messagesPath },
    authenticate: requiredHeaderAuthentication(name, 'apiKey', config.apiKey, 'x-api-key'),
    headers: { 'anthropic-version': config.version, ...config.headers },
    connections: config.connections,
    connectTimeoutMs: config.connectTimeoutMs,
    secrets: [config.apiKey],
  });
};
