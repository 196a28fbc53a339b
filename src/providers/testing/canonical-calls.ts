import type { ChatRequest, EmbeddingRequest } from '../../core/model/index.ts';
import type { EmbeddingCall, ModelCall } from '../provider.ts';

/** A plain one-turn request, the same for every provider test. */
export const helloRequest: ChatRequest = {
  model: 'alias',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello!' }] }],
  sampling: { maxOutputTokens: 64 },
  stream: false,
};

export const modelCall = (model: string, overrides: Partial<ModelCall> = {}): ModelCall => ({
  request: helloRequest,
  model,
  signal: new AbortController().signal,
  requestId: 'request-1',
  ...overrides,
});

export const embeddingRequest: EmbeddingRequest = { model: 'alias', input: ['The food was delicious'], encodingFormat: 'float' };

export const embeddingCall = (model: string): EmbeddingCall => ({
  request: embeddingRequest,
  model,
  signal: new AbortController().signal,
  requestId: 'request-2',
});
