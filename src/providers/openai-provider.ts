import type { ProviderConfig } from './provider-config-schema.ts';
import { openaiChatFormat } from '../formats/openai-chat/index.ts';
import { openaiEmbeddingsFormat } from '../formats/openai-embeddings/index.ts';
import { parseBaseUrl } from './base-url.ts';
import { defineHttpProvider } from './define-http-provider.ts';
import { includeStreamUsage } from './include-stream-usage.ts';
import { noAuthentication, requiredHeaderAuthentication } from './http-authentication.ts';
import type { Provider } from './provider.ts';

export type OpenaiProviderConfig = Extract<ProviderConfig, { type: 'openai' | 'openai-compatible' }>;

const defaultBaseUrl = 'https://api.openai.com/v1';

/** Headers naming the organisation and project a key bills to (https://platform.openai.com/docs/api-reference/authentication). */
const organizationHeaders = (config: OpenaiProviderConfig): Record<string, string> => {
  if (config.type !== 'openai') return {};
  const headers: Record<string, string> = {};
  if (config.organization !== undefined) headers['openai-organization'] = config.organization;
  if (config.project !== undefined) headers['openai-project'] = config.project;
  return headers;
};

/**
 * OpenAI's Chat Completions and Embeddings APIs (https://platform.openai.com/docs/api-reference/chat),
 * and any server that speaks them (`openai-compatible`: vLLM, Ollama, OpenRouter, ...), where a key is
 * optional.
 */
export const createOpenaiProvider = (name: string, config: OpenaiProviderConfig): Provider => {
  const { origin, basePath } = parseBaseUrl(config.baseUrl ?? defaultBaseUrl);
  const chatPath = `${basePath}/chat/completions`;
  const embeddingsPath = `${basePath}/embeddings`;
  const authenticate =
    config.type === 'openai-compatible' && config.apiKey === undefined
      ? noAuthentication
      : requiredHeaderAuthentication(name, 'apiKey', config.apiKey, 'authorization', 'Bearer ');
  return defineHttpProvider({
    name,
    type: config.type,
    format: openaiChatFormat,
    origin,
    endpoints: { chat: () => chatPath, stream: () => chatPath },
    embeddings: { format: openaiEmbeddingsFormat, path: () => embeddingsPath },
    authenticate,
    headers: { ...organizationHeaders(config), ...config.headers },
    prepareStreamBody: includeStreamUsage,
    connections: config.connections,
    connectTimeoutMs: config.connectTimeoutMs,
    secrets: [config.apiKey],
  });
};
