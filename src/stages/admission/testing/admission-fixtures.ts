import type { ChatRequest, ChatResult, StreamEvent, TokenUsage } from '../../../core/model/index.ts';
import type { AttemptCall } from '../../../core/pipeline/call-interceptor.ts';
import type { Principal, RequestContext } from '../../../core/pipeline/request-context.ts';

export const principalOf = (keyId: string): Principal => ({ keyId, keyName: keyId, models: ['*'] });

/** A request whose user text is `characters` long, with `maxOutputTokens` when given. */
export const requestOf = (characters: number, maxOutputTokens?: number, stream = false): ChatRequest => ({
  model: 'gpt-test',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(characters) }] }],
  sampling: maxOutputTokens === undefined ? {} : { maxOutputTokens },
  stream,
});

export const contextOf = (request: ChatRequest, principal: Principal | undefined, headers: RequestContext['headers'] = {}): RequestContext => {
  const context: RequestContext = {
    requestId: 'req_test',
    startedAt: 0,
    startedAtMonotonic: 0,
    endpoint: '/v1/chat/completions',
    clientFormat: 'openai-chat',
    signal: new AbortController().signal,
    headers,
    request,
    attemptFailures: [],
    attempts: 0,
  };
  if (principal !== undefined) context.principal = principal;
  return context;
};

export const resultWith = (usage: TokenUsage): ChatResult => ({
  id: 'chatcmpl_test',
  model: 'gpt-test',
  created: 0,
  content: [{ type: 'text', text: 'ok' }],
  finishReason: 'stop',
  usage,
});

export const streamEventsWith = (text: string, usage: TokenUsage | undefined): StreamEvent[] => [
  { type: 'stream-start', id: 's', model: 'gpt-test', created: 0 },
  { type: 'text-delta', text },
  { type: 'finish', finishReason: 'stop' },
  ...(usage === undefined ? [] : [{ type: 'usage', usage } as const]),
];

/** An iterable over `events` that records whether its `return()` ran (the consumer stopped early). */
export const trackedStream = (events: readonly StreamEvent[], failAfter?: number): AsyncIterable<StreamEvent> & { returned: boolean } => {
  const tracked = {
    returned: false,
    [Symbol.asyncIterator]: (): AsyncIterator<StreamEvent> => {
      let index = 0;
      return {
        next: async () => {
          if (failAfter !== undefined && index >= failAfter) throw new Error('connection reset');
          const value = events[index++];
          return value === undefined ? { done: true, value: undefined } : { done: false, value };
        },
        return: async () => {
          tracked.returned = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return tracked;
};

export const callOf = (overrides: Partial<AttemptCall> = {}): AttemptCall => ({
  requestId: 'req_test',
  provider: 'openai',
  model: 'gpt-test',
  stream: false,
  signal: new AbortController().signal,
  priority: 'normal',
  keyId: 'vk_a',
  estimatedTokens: 100,
  ...overrides,
});
