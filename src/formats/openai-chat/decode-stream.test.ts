import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StreamEvent } from '../../core/model/index.ts';
import { readStreamFixture } from './__fixtures__/read-fixture.ts';
import { createStreamDecoder } from './decode-stream.ts';

const encoder = new TextEncoder();

/** Feeds the bytes in the given pieces and collects every event, `end()` included. */
const decodePieces = (pieces: Uint8Array[]): StreamEvent[] => {
  const decoder = createStreamDecoder();
  return [...pieces.flatMap((piece) => decoder.push(piece)), ...decoder.end()];
};

const decodeText = (text: string): StreamEvent[] => decodePieces([encoder.encode(text)]);

/** The code of the last event if it is an error, else its type: what a stream ended on. */
const ending = (events: StreamEvent[]): string | undefined => {
  const last = events.at(-1);
  return last?.type === 'error' ? last.code : last?.type;
};

const byteByByte = (text: string): Uint8Array[] => Array.from(encoder.encode(text), (byte) => Uint8Array.of(byte));

/** A small deterministic generator (mulberry32), so a failing split can be replayed from its seed. */
const randomSplits = (text: string, seed: number): Uint8Array[] => {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const bytes = encoder.encode(text);
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length;) {
    const length = 1 + Math.floor(next() * 40);
    pieces.push(bytes.slice(start, start + length));
    start += length;
  }
  return pieces;
};

const fixtures = [
  'stream-structured-output.json',
  'stream-refusal.json',
  'stream-tool-call.json',
  'stream-tool-call-compatible.json',
  'stream-text-include-usage.json',
  'stream-error.json',
];

describe('createStreamDecoder on recorded streams', () => {
  test('a structured-output answer with its usage chunk', () => {
    assert.deepEqual(decodeText(readStreamFixture('stream-structured-output.json')), [
      { type: 'stream-start', id: 'chatcmpl-9rnyXoOvZN6Ec33DKStiqSdEB76Ba', model: 'gpt-4o-so', created: 1722610517 },
      ...['{"', 'city', '":"', 'San', ' Francisco', '","', 'units', '":"', 'f', '"}'].map((text) => ({ type: 'text-delta' as const, text })),
      { type: 'finish', finishReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 71, outputTokens: 10 } },
    ]);
  });

  test('a refusal streams as the text the assistant says', () => {
    const events = decodeText(readStreamFixture('stream-refusal.json'));
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
    assert.equal(text, "I'm sorry, but I can't assist with that request.");
    assert.deepEqual(events.slice(-2), [
      { type: 'finish', finishReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 17, outputTokens: 12 } },
    ]);
  });

  test('a tool call streamed by index', () => {
    assert.deepEqual(decodeText(readStreamFixture('stream-tool-call.json')), [
      { type: 'stream-start', id: 'chatcmpl-96aZqmeDpA9IPD6tACY8djkMsJCMP', model: 'gpt-3.5-turbo-0125', created: 1711357598 },
      { type: 'tool-call-start', index: 0, id: 'call_O17Uplv4lJvD6DVdIvFFeRMw', name: 'test-tool' },
      ...['{"', 'va', 'lue', '":"', 'Spark', 'le', ' Day', '"}'].map((argumentsDelta) => ({ type: 'tool-call-delta' as const, index: 0, argumentsDelta })),
      { type: 'finish', finishReason: 'tool-calls' },
      { type: 'usage', usage: { inputTokens: 53, outputTokens: 17 } },
    ]);
  });

  test('a compatible server with usage in every chunk and a name-only first tool delta', () => {
    const events = decodeText(readStreamFixture('stream-tool-call-compatible.json'));
    assert.deepEqual(events[0], { type: 'stream-start', id: 'chat-2267f7e2910a4254bac0650ba74cfc1c', model: 'meta/llama-3.1-8b-instruct:fp8', created: 1733162241 });
    assert.deepEqual(events.filter((event) => event.type === 'tool-call-start'), [
      { type: 'tool-call-start', index: 0, id: 'chatcmpl-tool-b3b307239370432d9910d4b79b4dbbaa', name: 'searchGoogle' },
    ]);
    const argumentsText = events.flatMap((event) => (event.type === 'tool-call-delta' ? [event.argumentsDelta] : [])).join('');
    assert.equal(argumentsText, '{"query": "latest news on ai"}');
    const finishAt = events.findIndex((event) => event.type === 'finish');
    assert.deepEqual(events[finishAt], { type: 'finish', finishReason: 'tool-calls' });
    assert.deepEqual(events.at(-1), { type: 'usage', usage: { inputTokens: 226, outputTokens: 20 } });
    assert.equal(events.filter((event) => event.type === 'usage').length, 9);
  });

  test('usage: null and obfuscation fields in every chunk', () => {
    const events = decodeText(readStreamFixture('stream-text-include-usage.json'));
    assert.deepEqual(events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])), ['**', 'Holiday', ' Name', ':**', ' respect', '.']);
    assert.deepEqual(events.slice(-2), [
      { type: 'finish', finishReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 16, outputTokens: 300, cachedInputTokens: 0, reasoningTokens: 0 } },
    ]);
  });

  test('an error object sent in the stream', () => {
    assert.deepEqual(decodeText(readStreamFixture('stream-error.json')), [{
      type: 'error',
      code: 'upstream_server_error',
      message: 'The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error.',
    }]);
  });

  for (const name of fixtures) {
    test(`${name}: the same events fed whole, byte by byte and in random splits`, () => {
      const text = readStreamFixture(name);
      const whole = decodeText(text);
      assert.deepEqual(decodePieces(byteByByte(text)), whole);
      for (const seed of [1, 7, 42, 1234, 99991]) assert.deepEqual(decodePieces(randomSplits(text, seed)), whole, `seed ${seed}`);
    });
  }
});

describe('createStreamDecoder on cut and malformed streams', () => {
  const toolStream = readStreamFixture('stream-tool-call.json');
  const finishAt = toolStream.indexOf('"finish_reason":"tool_calls"');

  test('a stream cut at any byte before its finish chunk ends with the interrupted error', () => {
    // Up to the last byte of the finish chunk's JSON: with it, the chunk is whole.
    const finishChunkEnd = toolStream.indexOf('\n\n', finishAt);
    for (let cut = 0; cut < finishChunkEnd; cut++) {
      const events = decodeText(toolStream.slice(0, cut));
      assert.equal(ending(events), 'upstream_stream_interrupted', `cut at ${cut}`);
      assert.equal(events.filter((event) => event.type === 'error').length, 1);
      assert.equal(events.some((event) => event.type === 'finish'), false);
    }
  });

  test('a stream cut after its finish chunk, before [DONE], is complete', () => {
    const events = decodeText(toolStream.slice(0, toolStream.indexOf('\n\n', finishAt) + 2));
    assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'tool-calls' });
  });

  test('a chunk that is not JSON is an invalid response, and nothing after it counts', () => {
    const events = decodeText('data: {"id":"c","choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: {unparsable}\n\ndata: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    assert.deepEqual(events.map((event) => event.type), ['stream-start', 'text-delta', 'error']);
    assert.equal(ending(events), 'upstream_invalid_response');
  });

  test('a chunk of the wrong shape is an invalid response', () => {
    const events = decodeText('data: {"id":"c","choices":{"index":0}}\n\n');
    assert.equal(events.length, 1);
    assert.equal(ending(events), 'upstream_invalid_response');
    assert.match(events[0]?.type === 'error' ? events[0].message : '', /choices/);
  });

  test('a tool call that starts without a name is an invalid response', () => {
    const events = decodeText('data: {"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}\n\n');
    assert.deepEqual(events.map((event) => event.type), ['stream-start', 'error']);
    assert.equal(ending(events), 'upstream_invalid_response');
  });

  test('[DONE] without a finish_reason still ends the answer', () => {
    const events = decodeText('data: {"id":"c","model":"m","created":1,"choices":[{"index":0,"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n');
    assert.deepEqual(events.slice(1), [{ type: 'text-delta', text: 'Hi' }, { type: 'finish', finishReason: 'other' }]);
  });

  test('[DONE] alone is an invalid response', () => {
    const events = decodeText('data: [DONE]\n\n');
    assert.equal(events.length, 1);
    assert.equal(ending(events), 'upstream_invalid_response');
  });

  test('an empty body is an interrupted stream', () => {
    const events = decodeText('');
    assert.equal(events.length, 1);
    assert.equal(ending(events), 'upstream_stream_interrupted');
  });
});

const toolCallChunk = (toolCalls: unknown[]): string =>
  `data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { tool_calls: toolCalls } }] })}\n\n`;

describe('createStreamDecoder on what compatible servers send', () => {
  test('Azure\'s prompt-filter chunk does not start the answer', () => {
    const events = decodeText([
      'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}',
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":5,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}',
      'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":5,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
      'data: [DONE]',
    ].join('\n\n') + '\n\n');
    assert.deepEqual(events, [
      { type: 'stream-start', id: 'chatcmpl-1', model: 'gpt-4o', created: 5 },
      { type: 'text-delta', text: 'Hi' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  test('parallel tool calls are numbered in the order they start, whatever the provider\'s index', () => {
    const events = decodeText([
      toolCallChunk([{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } }]),
      toolCallChunk([{ index: 3, id: 'call_d', type: 'function', function: { name: 'd', arguments: '{"x"' } }]),
      toolCallChunk([{ index: 1, function: { arguments: '{}' } }]),
      toolCallChunk([{ index: 3, function: { arguments: ':1}' } }]),
      'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n',
    ].join(''));
    assert.deepEqual(events.slice(1), [
      { type: 'tool-call-start', index: 0, id: 'call_b', name: 'b' },
      { type: 'tool-call-start', index: 1, id: 'call_d', name: 'd' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"x"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: ':1}' },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
  });

  test('reasoning_content streams as reasoning', () => {
    const events = decodeText('data: {"id":"c","choices":[{"index":0,"delta":{"reasoning_content":"Let me think"}}]}\n\ndata: {"id":"c","choices":[{"index":0,"delta":{"content":"42"},"finish_reason":"stop"}]}\n\n');
    assert.deepEqual(events.slice(1), [
      { type: 'reasoning-delta', text: 'Let me think' },
      { type: 'text-delta', text: '42' },
      { type: 'finish', finishReason: 'stop' },
    ]);
  });

  test('a rate-limit error in the stream is classified', () => {
    const events = decodeText('data: {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}\n\n');
    assert.deepEqual(events, [{ type: 'error', code: 'upstream_rate_limited', message: 'Rate limit reached' }]);
  });
});
