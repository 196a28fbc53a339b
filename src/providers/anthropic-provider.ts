import type { ProviderConfig } from '../config/config-schema.ts';
import type { JsonObject } from '../core/model/index.ts';
import { anthropicMessagesFormat } from '../formats/anthropic-messages/index.ts';
import { parseBaseUrl } from './base-url.ts';
import { defineHttpProvider } from './define-http-provider.ts';
import { requiredHeaderAuthentication } from './http-authentication.ts';
import type { Provider } from './provider.ts';

export type AnthropicProviderConfig = Extract<ProviderConfig, { type: 'anthropic' }>;

const defaultBaseUrl = 'https://api.anthropic.com';

/**
 * The beta spelling of structured outputs (`output_format`) is accepted only with its beta flag;
 * the GA spelling (`output_config.format`) needs none.
 * https://docs.claude.com/en/docs/build-with-claude/structured-outputs
 */
const structuredOutputsBeta = 'structured-outputs-2025-11-13';

const betaHeaders = (body: JsonObject): Record<string, string> | undefined =>
  body['output_format'] === undefined || body['output_format'] === null ? undefined : { 'anthropic-beta': structuredOutputsBeta };

/** Anthropic's Messages API (https://docs.claude.com/en/api/messages). It has no embeddings API. */
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
    requestHeaders: betaHeaders,
    connections: config.connections,
    secrets: [config.apiKey],
  });
};
