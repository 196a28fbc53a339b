import type { ProviderConfig } from './provider-config-schema.ts';
import { geminiEmbeddingsFormat, geminiGenerateFormat } from '../formats/gemini-generate/index.ts';
import { parseBaseUrl } from './base-url.ts';
import { defineHttpProvider } from './define-http-provider.ts';
import { requiredHeaderAuthentication } from './http-authentication.ts';
import type { Provider } from './provider.ts';

export type GeminiProviderConfig = Extract<ProviderConfig, { type: 'gemini' }>;

const defaultBaseUrl = 'https://generativelanguage.googleapis.com';

/** Accepts `gemini-2.5-flash` and the resource name `models/gemini-2.5-flash` alike. */
const modelSegment = (model: string): string => encodeURIComponent(model.replace(/^models\//, ''));

/**
 * Google's Gemini API (https://ai.google.dev/api/generate-content, https://ai.google.dev/api/embeddings),
 * keyed with `x-goog-api-key` so the key never sits in a URL that a proxy might log.
 */
export const createGeminiProvider = (name: string, config: GeminiProviderConfig): Provider => {
  const { origin, basePath } = parseBaseUrl(config.baseUrl ?? defaultBaseUrl);
  const modelPath = (model: string, method: string): string => `${basePath}/v1beta/models/${modelSegment(model)}:${method}`;
  return defineHttpProvider({
    name,
    type: config.type,
    format: geminiGenerateFormat,
    origin,
    endpoints: {
      chat: (model) => modelPath(model, 'generateContent'),
      stream: (model) => modelPath(model, 'streamGenerateContent?alt=sse'),
    },
    embeddings: { format: geminiEmbeddingsFormat, path: (model) => modelPath(model, 'batchEmbedContents') },
    authenticate: requiredHeaderAuthentication(name, 'apiKey', config.apiKey, 'x-goog-api-key'),
    headers: config.headers,
    connections: config.connections,
    connectTimeoutMs: config.connectTimeoutMs,
    secrets: [config.apiKey],
  });
};
