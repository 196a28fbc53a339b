import type { AttemptCall, AttemptOutput } from '../../core/pipeline/call-interceptor.ts';
import type { ChatResult, StreamEvent } from '../../core/model/index.ts';

/** Fakes for the interceptor tests: a call, a result, and streams the test feeds by hand. */
export const attemptCall = (overrides: Partial<AttemptCall> = {}): AttemptCall => ({
  requestId: 'request-1',
  provider: 'openai',
  model: 'gpt-4o',
  stream: false,
  signal: new AbortController().signal,
  priority: 'normal',
  estimatedTokens: 100,
  ...overrides,
});

export const chatResult: ChatResult = {
  id: 'chatcmpl-1',
  model: 'gpt-4o',
  created: 0,
  content: [{ type: 'text', text: 'Hello!' }],
  finishReason: 'stop',
  usage: { inputTokens: 5, outputTokens: 2 },
};

export const resultOutput: AttemptOutput = { type: 'result', result: chatResult };

export const startEvent: StreamEvent = { type: 'stream-start', id: 'chatcmpl-1', model: 'gpt-4o', created: 0 };
export const finishEvent: StreamEvent = { type: 'finish', finishReason: 'stop' };
export const textEvent = (text: string): StreamEvent => ({ type: 'text-delta', text });

/** A stream whose events the test pushes one by one; `returned` tells whether the reader cancelled it. */
export interface EventChannel extends AsyncIterable<StreamEvent> {
  push(event: StreamEvent): void;
  end(): void;
  fail(error: unknown): void;
  readonly returned: boolean;
}

export const createEventChannel = (initial: readonly StreamEvent[] = []): EventChannel => {
  const queued: Array<IteratorResult<StreamEvent> | { error: unknown }> = initial.map((value) => ({ done: false, value }));
  const waiting: Array<{ resolve: (result: IteratorResult<StreamEvent>) => void; reject: (error: unknown) => void }> = [];
  let returned = false;

  const deliver = (item: IteratorResult<StreamEvent> | { error: unknown }): void => {
    const reader = waiting.shift();
    if (reader === undefined) queued.push(item);
    else if ('error' in item) reader.reject(item.error);
    else reader.resolve(item);
  };

  return {
    push: (event) => deliver({ done: false, value: event }),
    end: () => deliver({ done: true, value: undefined }),
    fail: (error) => deliver({ error }),
    get returned() {
      return returned;
    },
    [Symbol.asyncIterator]: () => ({
      next: () => {
        const item = queued.shift();
        if (item === undefined) return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
        return 'error' in item ? Promise.reject(item.error) : Promise.resolve(item);
      },
      return: () => {
        returned = true;
        for (const reader of waiting.splice(0)) reader.resolve({ done: true, value: undefined });
        return Promise.resolve({ done: true, value: undefined });
      },
    }),
  };
};

/** Reads a stream to its end. */
export const collect = async (events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> => {
  const result: StreamEvent[] = [];
  for await (const event of events) result.push(event);
  return result;
};

export const streamOf = (output: AttemptOutput): AsyncIterable<StreamEvent> => {
  if (output.type !== 'stream') throw new Error(`expected a stream, got a ${output.type}`);
  return output.events;
};
