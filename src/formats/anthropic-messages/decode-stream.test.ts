import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StreamEvent } from '../../core/model/index.ts';
import { decodeInChunks, encodeText, everyByte, randomCuts } from './__fixtures__/decode-in-chunks.ts';
import { loadStreamFixture } from './__fixtures__/load-fixture.ts';
import { createAnthropicStreamDecoder } from './decode-stream.ts';

/** `created` is the decoding time; everything else is what the stream said. */
const stable = (events: StreamEvent[]): StreamEvent[] => events.map((event) => (event.type === 'stream-start' ? { ...event, created: 0 } : event));

const decode = (text: string, cuts: number[] = []): StreamEvent[] => stable(decodeInChunks(createAnthropicStreamDecoder(), encodeText(text), cuts));

const sse = (type: string, data: unknown): string => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

const start = sse('message_start', {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude-x', stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } },
});
const textBlock = sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const stop = sse('message_stop', { type: 'message_stop' });

const lastEvent = (events: StreamEvent[]): StreamEvent | undefined => events.at(-1);

describe('createAnthropicStreamDecoder on recorded streams', () => {
  test('a text stream, with its ping skipped', () => {
    assert.deepEqual(decode(loadStreamFixture('stream-basic')), [
      { type: 'stream-start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-3-5-sonnet-20241022', created: 0 },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 1 } },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 15 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
    ]);
  });

  test('a tool call at Anthropic block 1 is canonical tool call 0, its JSON streamed as it came', () => {
    assert.deepEqual(decode(loadStreamFixture('stream-tool-use')), [
      { type: 'stream-start', id: 'msg_019Q1hrJbZG26Fb9BQhrkHEr', model: 'claude-opus-4-8', created: 0 },
      { type: 'usage', usage: { inputTokens: 377, outputTokens: 1 } },
      { type: 'text-delta', text: 'I' },
      { type: 'text-delta', text: "'ll check the current weather in Paris for you." },
      { type: 'tool-call-start', index: 0, id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"locati' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'on": "P' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'ar' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: 'is"}' },
      { type: 'usage', usage: { inputTokens: 377, outputTokens: 65 } },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
    ]);
  });

  test('thinking deltas and the signature, from a stream that reports no usage', () => {
    assert.deepEqual(decode(loadStreamFixture('stream-thinking')), [
      { type: 'stream-start', id: 'msg_01...', model: 'claude-sonnet-4-5', created: 0 },
      { type: 'reasoning-delta', text: 'Let me solve this step by step:\n\n1. First break down 27 * 453' },
      { type: 'reasoning-delta', text: '\n2. 453 = 400 + 50 + 3' },
      { type: 'reasoning-delta', text: '', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...' },
      { type: 'text-delta', text: '27 * 453 = 12,231' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
    ]);
  });

  test("a mid-stream overloaded_error ends the stream with the catalog's code", () => {
    const events = decode(loadStreamFixture('stream-error'));
    assert.deepEqual(events.slice(2), [
      { type: 'text-delta', text: 'Hello' },
      { type: 'error', code: 'upstream_overloaded', message: 'Overloaded' },
    ]);
  });

  test('any split of the bytes decodes to the same events, byte by byte or at random', () => {
    for (const name of ['stream-basic', 'stream-tool-use', 'stream-thinking', 'stream-error']) {
      const text = loadStreamFixture(name).replaceAll('27 * 453', '27 × 453 ✓'); // multi-byte characters to cut through
      const whole = decode(text);
      const bytes = encodeText(text);
      assert.deepEqual(decode(text, everyByte(bytes)), whole, `${name} byte by byte`);
      for (const seed of [1, 2, 3, 4, 5]) assert.deepEqual(decode(text, randomCuts(bytes.length, seed)), whole, `${name} seed ${seed}`);
    }
  });
});

describe('createAnthropicStreamDecoder on streams that go wrong', () => {
  test('a body that ends before message_stop is interrupted, not finished', () => {
    const text = loadStreamFixture('stream-basic');
    const cut = text.slice(0, text.indexOf('event: message_stop'));
    const events = decode(cut);
    assert.equal(events.some((event) => event.type === 'finish'), false);
    assert.deepEqual(lastEvent(events), { type: 'error', code: 'upstream_stream_interrupted', message: 'The Anthropic stream ended before message_stop' });
    assert.deepEqual(decode(''), [{ type: 'error', code: 'upstream_stream_interrupted', message: 'The Anthropic stream ended before message_stop' }]);
  });

  test('data that is not JSON is upstream_invalid_response, and nothing follows it', () => {
    const events = decode(start + 'event: content_block_start\ndata: {"type": "content_block_st\n\n' + textBlock + stop);
    assert.equal(events.length, 3);
    assert.deepEqual(lastEvent(events), { type: 'error', code: 'upstream_invalid_response', message: "The Anthropic stream's content_block_start event is not JSON" });
  });

  test('events out of their documented order or shape are upstream_invalid_response', () => {
    const cases: Record<string, string> = {
      'content before message_start': textBlock + stop,
      'a second message_start': start + start,
      'a delta for a block never opened': start + sse('content_block_delta', { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'x' } }),
      'a delta for a closed block': start + textBlock + sse('content_block_stop', { type: 'content_block_stop', index: 0 }) + sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' } }),
      'arguments for a text block': start + textBlock + sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{' } }),
      'a text delta without text': start + textBlock + sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } }),
      'a tool block without an id': start + sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', name: 'n', input: {} } }),
      'a message_start without a message': sse('message_start', { type: 'message_start' }),
      'negative usage': start + sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: -1 } }),
    };
    for (const [name, text] of Object.entries(cases)) {
      const events = decode(text);
      const last = lastEvent(events);
      assert.equal(last?.type, 'error', name);
      assert.equal(last?.type === 'error' ? last.code : undefined, 'upstream_invalid_response', name);
      assert.equal(events.filter((event) => event.type === 'error').length, 1, name);
    }
  });

  test('error events map their type to catalog codes, even when malformed', () => {
    const errorEvent = (error: unknown): StreamEvent | undefined => lastEvent(decode(start + sse('error', { type: 'error', error })));
    assert.deepEqual(errorEvent({ type: 'rate_limit_error', message: 'Slow down' }), { type: 'error', code: 'upstream_rate_limited', message: 'Slow down' });
    assert.deepEqual(errorEvent({ type: 'api_error', message: 'Internal server error' }), { type: 'error', code: 'upstream_server_error', message: 'Internal server error' });
    assert.deepEqual(errorEvent({ type: 'invalid_request_error', message: 'prompt is too long: 1 tokens > 0 maximum' }), {
      type: 'error',
      code: 'upstream_context_length_exceeded',
      message: 'prompt is too long: 1 tokens > 0 maximum',
    });
    assert.deepEqual(errorEvent({ type: 'brand_new_error', message: 'Hmm' }), { type: 'error', code: 'upstream_server_error', message: 'Hmm' });
    assert.equal((errorEvent('no object') as { code?: string } | undefined)?.code, 'upstream_server_error');
    assert.deepEqual(lastEvent(decode(start + 'event: error\ndata: <html>502</html>\n\n')), {
      type: 'error',
      code: 'upstream_invalid_response',
      message: "The Anthropic stream's error event is not JSON",
    });
  });

  test('nothing is decoded after the end of the message', () => {
    const decoder = createAnthropicStreamDecoder();
    const first = decoder.push(encodeText(start + stop));
    assert.equal(lastEvent(first)?.type, 'finish');
    assert.deepEqual(decoder.push(encodeText(textBlock)), []);
    assert.deepEqual(decoder.end(), []);
  });
});

describe('createAnthropicStreamDecoder details', () => {
  test('unknown event, block and delta types are skipped', () => {
    const events = decode(
      start +
        sse('brand_new_event', { type: 'brand_new_event' }) +
        sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 's', name: 'web_search', input: {} } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"q"' } }) +
        sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
        sse('content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'citations_delta', citation: {} } }) +
        sse('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Found it' } }) +
        sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }) +
        stop,
    );
    assert.deepEqual(events.slice(2), [
      { type: 'text-delta', text: 'Found it' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 9 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
    ]);
  });

  test('tool calls are numbered among themselves, and a whole input at block start is one delta', () => {
    const tool = (index: number, id: string, input: unknown): string =>
      sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: 'lookup', input } });
    const events = decode(start + sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }) + tool(1, 'toolu_a', {}) + tool(2, 'toolu_b', { q: 'x' }) + stop);
    assert.deepEqual(events.filter((event) => event.type.startsWith('tool-call')), [
      { type: 'tool-call-start', index: 0, id: 'toolu_a', name: 'lookup' },
      { type: 'tool-call-start', index: 1, id: 'toolu_b', name: 'lookup' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"q":"x"}' },
    ]);
  });

  test('redacted thinking, stop sequences and cumulative cache usage', () => {
    const cachedStart = sse('message_start', {
      type: 'message_start',
      message: { id: 'msg_2', model: 'claude-x', usage: { input_tokens: 5, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0, output_tokens: 1 } },
    });
    const events = decode(
      cachedStart +
        sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'EmwKAhgB' } }) +
        sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
        sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' }, usage: { output_tokens: 30, input_tokens: 6, cache_creation_input_tokens: null } }) +
        stop,
    );
    assert.deepEqual(events.slice(1), [
      { type: 'usage', usage: { inputTokens: 1005, outputTokens: 1, cachedInputTokens: 1000 } },
      { type: 'reasoning-delta', text: '', redacted: 'EmwKAhgB' },
      { type: 'usage', usage: { inputTokens: 1006, outputTokens: 30, cachedInputTokens: 1000 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop_sequence', stopSequence: 'END' },
    ]);
  });
});
