import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatRequest, StreamEvent } from '../../core/model/index.ts';
import { SseParser } from '../shared/sse-parser.ts';
import { readStreamFixture } from './__fixtures__/read-fixture.ts';
import { createStreamDecoder } from './decode-stream.ts';
import { createStreamEncoder } from './encode-stream.ts';

const requestWith = (streamOptions?: object): ChatRequest => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  sampling: {},
  stream: true,
  ...(streamOptions === undefined ? {} : { providerOptions: { 'openai-chat': { stream_options: { ...streamOptions } } } }),
});

const encodeAll = (request: ChatRequest, events: StreamEvent[]): string => {
  const encoder = createStreamEncoder(request);
  const text = events.map((event) => encoder.encode(event)).join('') + String(encoder.end());
  return text;
};

const decodeAll = (text: string): StreamEvent[] => {
  const decoder = createStreamDecoder();
  return [...decoder.push(new TextEncoder().encode(text)), ...decoder.end()];
};

/** The JSON payloads of a stream, `[DONE]` left as text. */
const chunksOf = (text: string): unknown[] =>
  new SseParser().push(new TextEncoder().encode(text)).map((message) => (message.data === '[DONE]' ? '[DONE]' : JSON.parse(message.data)));

const events: StreamEvent[] = [
  { type: 'stream-start', id: 'chatcmpl-abc', model: 'gpt-4o-2024-08-06', created: 1722610517 },
  { type: 'reasoning-delta', text: 'Weather, so call the tool.' },
  { type: 'text-delta', text: 'Let me ' },
  { type: 'text-delta', text: 'check.' },
  { type: 'tool-call-start', index: 0, id: 'call_1', name: 'weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool-call-start', index: 1, id: 'call_2', name: 'time' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
  { type: 'finish', finishReason: 'tool-calls' },
  { type: 'usage', usage: { inputTokens: 40, outputTokens: 22, cachedInputTokens: 8, reasoningTokens: 6 } },
];

describe('createStreamEncoder', () => {
  test('encoded streams decode back to the same events', () => {
    assert.deepEqual(decodeAll(encodeAll(requestWith({ include_usage: true }), events)), events);
  });

  test('recorded streams survive decode → encode → decode', () => {
    for (const name of ['stream-structured-output.json', 'stream-tool-call.json', 'stream-text-include-usage.json']) {
      const decoded = decodeAll(readStreamFixture(name));
      assert.deepEqual(decodeAll(encodeAll(requestWith({ include_usage: true }), decoded)), decoded, name);
    }
  });

  test('writes chat.completion.chunk objects with the stream-start identity, the role first, and [DONE] last', () => {
    const chunks = chunksOf(encodeAll(requestWith(), events));
    assert.deepEqual(chunks[0], {
      id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1722610517, model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    });
    assert.deepEqual(chunks[4], {
      id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1722610517, model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } }] }, logprobs: null, finish_reason: null }],
    });
    assert.deepEqual(chunks.at(-2), {
      id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1722610517, model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }],
    });
    assert.equal(chunks.at(-1), '[DONE]');
  });

  test('without include_usage: no usage chunk and no usage field', () => {
    const text = encodeAll(requestWith({ include_usage: false }), events);
    assert.equal(text.includes('usage'), false);
    assert.deepEqual(decodeAll(text), events.filter((event) => event.type !== 'usage'));
  });

  test('with include_usage: usage null in every chunk, then one usage chunk with empty choices before [DONE]', () => {
    const chunks = chunksOf(encodeAll(requestWith({ include_usage: true }), events));
    const objects = chunks.slice(0, -2);
    assert.ok(objects.every((chunk) => typeof chunk === 'object' && chunk !== null && 'usage' in chunk && chunk.usage === null));
    assert.deepEqual(chunks.at(-2), {
      id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1722610517, model: 'gpt-4o-2024-08-06', choices: [],
      usage: { prompt_tokens: 40, completion_tokens: 22, total_tokens: 62, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 6 } },
    });
    assert.equal(chunks.at(-1), '[DONE]');
  });

  test('only the last of several usage events is sent', () => {
    const withEarlyUsage: StreamEvent[] = [events[0] as StreamEvent, { type: 'usage', usage: { inputTokens: 40, outputTokens: 0 } }, ...events.slice(1)];
    const chunks = chunksOf(encodeAll(requestWith({ include_usage: true }), withEarlyUsage));
    assert.equal(chunks.filter((chunk) => typeof chunk === 'object' && chunk !== null && 'usage' in chunk && chunk.usage !== null).length, 1);
  });

  test('an error becomes OpenAI\'s in-stream error object, with nothing after it, not even [DONE]', () => {
    const encoder = createStreamEncoder(requestWith({ include_usage: true }));
    const before = [events[0], events[2]].map((event) => encoder.encode(event as StreamEvent)).join('');
    const error = encoder.encode({ type: 'error', code: 'upstream_stream_interrupted', message: 'The provider stream broke off' });
    assert.equal(error, 'data: {"error":{"message":"The provider stream broke off","type":"server_error","code":"upstream_stream_interrupted"}}\n\n');
    assert.equal(encoder.encode({ type: 'text-delta', text: 'late' }), '');
    assert.equal(encoder.end(), '');
    const decoded = decodeAll(before + String(error));
    assert.equal(decoded.at(-1)?.type, 'error');
  });

  test('a rate-limit error carries OpenAI\'s rate_limit_error type', () => {
    const encoder = createStreamEncoder(requestWith());
    const error = String(encoder.encode({ type: 'error', code: 'upstream_rate_limited', message: 'Slow down' }));
    assert.deepEqual(chunksOf(error), [{ error: { message: 'Slow down', type: 'rate_limit_error', code: 'upstream_rate_limited' } }]);
  });
});
