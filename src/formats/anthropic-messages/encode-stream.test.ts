import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { StreamEvent, TokenUsage } from '../../core/model/index.ts';
import { decodeInChunks, encodeText } from './__fixtures__/decode-in-chunks.ts';
import { loadStreamFixture } from './__fixtures__/load-fixture.ts';
import { createAnthropicStreamDecoder } from './decode-stream.ts';
import { createAnthropicStreamEncoder } from './encode-stream.ts';

const textDecoder = new TextDecoder();

const encodeAll = (events: StreamEvent[]): string => {
  const encoder = createAnthropicStreamEncoder();
  const written = [...events.map((event) => encoder.encode(event)), encoder.end()];
  return written.map((chunk) => (typeof chunk === 'string' ? chunk : textDecoder.decode(chunk))).join('');
};

const decode = (text: string): StreamEvent[] =>
  decodeInChunks(createAnthropicStreamDecoder(), encodeText(text)).map((event) => (event.type === 'stream-start' ? { ...event, created: 0 } : event));

const withoutUsage = (events: StreamEvent[]): StreamEvent[] => events.filter((event) => event.type !== 'usage');

const finalUsage = (events: StreamEvent[]): TokenUsage | undefined => events.findLast((event) => event.type === 'usage')?.usage;

/** Runs the official SDK's stream parser and accumulator over `body`, as if Anthropic had sent it. */
const readWithSdk = async (body: string): Promise<Anthropic.Message> => {
  const client = new Anthropic({
    apiKey: 'test-key',
    baseURL: 'http://bulwark.test',
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages.stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
};

const start: StreamEvent = { type: 'stream-start', id: 'msg_abc', model: 'claude-x', created: 1 };

describe('createAnthropicStreamEncoder', () => {
  test('recorded streams decoded, encoded and decoded again give the same events and final usage', () => {
    for (const name of ['stream-basic', 'stream-tool-use', 'stream-thinking', 'stream-error']) {
      const original = decode(loadStreamFixture(name));
      const again = decode(encodeAll(original));
      assert.deepEqual(withoutUsage(again), withoutUsage(original), name);
      const usage = finalUsage(original);
      if (usage !== undefined) assert.deepEqual(finalUsage(again), usage, name);
    }
  });

  test('the official SDK accepts the encoded recorded streams', async () => {
    const basic = await readWithSdk(encodeAll(decode(loadStreamFixture('stream-basic'))));
    assert.deepEqual(basic.content, [{ type: 'text', text: 'Hello!' }]);
    assert.equal(basic.id, 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY');
    assert.equal(basic.stop_reason, 'end_turn');
    assert.equal(basic.usage.input_tokens, 25);
    assert.equal(basic.usage.output_tokens, 15);

    const tool = await readWithSdk(encodeAll(decode(loadStreamFixture('stream-tool-use'))));
    assert.equal(tool.stop_reason, 'tool_use');
    assert.deepEqual(tool.content.at(1), { type: 'tool_use', id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', input: { location: 'Paris' } });

    const thinking = await readWithSdk(encodeAll(decode(loadStreamFixture('stream-thinking'))));
    assert.deepEqual(thinking.content, [
      { type: 'thinking', thinking: 'Let me solve this step by step:\n\n1. First break down 27 * 453\n2. 453 = 400 + 50 + 3', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...' },
      { type: 'text', text: '27 * 453 = 12,231' },
    ]);
  });

  test('blocks open and close as events switch between reasoning, text and tool calls; usage after finish still counts', async () => {
    const events: StreamEvent[] = [
      start,
      { type: 'reasoning-delta', text: 'First thought. ' },
      { type: 'reasoning-delta', text: '', signature: 'sig-1' },
      { type: 'reasoning-delta', text: 'A second, unsigned thought.' },
      { type: 'reasoning-delta', text: '', redacted: 'EmwKAhgB' },
      { type: 'text-delta', text: 'Let me look ' },
      { type: 'text-delta', text: 'both up.' },
      { type: 'tool-call-start', index: 0, id: 'call_a', name: 'lookup' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"paris"}' },
      { type: 'tool-call-start', index: 1, id: 'call_b', name: 'lookup' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"q":"rome"}' },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 1200, outputTokens: 80, cachedInputTokens: 1000 } },
    ];
    const body = encodeAll(events);
    assert.deepEqual(
      [...body.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]),
      [
        'message_start',
        'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', // signed thinking
        'content_block_start', 'content_block_delta', 'content_block_stop', // the unsigned thought starts a new block
        'content_block_start', 'content_block_stop', // redacted thinking
        'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', // text
        'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', // tool call 0
        'content_block_start', 'content_block_delta', 'content_block_stop', // tool call 1
        'message_delta',
        'message_stop',
      ],
    );
    const message = await readWithSdk(body);
    assert.deepEqual(message.content, [
      { type: 'thinking', thinking: 'First thought. ', signature: 'sig-1' },
      { type: 'thinking', thinking: 'A second, unsigned thought.', signature: '' },
      { type: 'redacted_thinking', data: 'EmwKAhgB' },
      { type: 'text', text: 'Let me look both up.' },
      { type: 'tool_use', id: 'call_a', name: 'lookup', input: { q: 'paris' } },
      { type: 'tool_use', id: 'call_b', name: 'lookup', input: { q: 'rome' } },
    ]);
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual(
      { input: message.usage.input_tokens, cacheRead: message.usage.cache_read_input_tokens, output: message.usage.output_tokens },
      { input: 200, cacheRead: 1000, output: 80 },
    );
  });

  test('message_start says 0 input tokens when usage comes late, and message_delta reports the totals', () => {
    const body = encodeAll([start, { type: 'text-delta', text: 'Hi' }, { type: 'finish', finishReason: 'stop' }, { type: 'usage', usage: { inputTokens: 50, outputTokens: 2 } }]);
    const [messageStart, ...rest] = body.split('\n\n').filter((frame) => frame !== '');
    assert.match(messageStart ?? '', /"usage":\{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0\}/);
    assert.match(rest.at(-2) ?? '', /^event: message_delta\n.*"usage":\{"input_tokens":50,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2\}/);
  });

  test('usage reported before the first content goes in message_start', () => {
    const body = encodeAll([start, { type: 'usage', usage: { inputTokens: 1050, outputTokens: 1, cachedInputTokens: 1000 } }, { type: 'text-delta', text: 'Hi' }]);
    assert.match(body, /^event: message_start\n.*"usage":\{"input_tokens":50,"cache_creation_input_tokens":0,"cache_read_input_tokens":1000,"output_tokens":1\}/);
  });

  test('a stop sequence is reported as stop_sequence', async () => {
    const message = await readWithSdk(encodeAll([start, { type: 'text-delta', text: 'Done' }, { type: 'finish', finishReason: 'stop', stopSequence: 'END' }]));
    assert.equal(message.stop_reason, 'stop_sequence');
    assert.equal(message.stop_sequence, 'END');
  });

  test('a tool delta that arrives after the next tool started still reaches its own block', async () => {
    const message = await readWithSdk(
      encodeAll([
        start,
        { type: 'tool-call-start', index: 0, id: 'call_a', name: 'lookup' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":' },
        { type: 'tool-call-start', index: 1, id: 'call_b', name: 'lookup' },
        { type: 'tool-call-delta', index: 1, argumentsDelta: '{"q":"b"}' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '"a"}' },
        { type: 'tool-call-delta', index: 7, argumentsDelta: '{"unknown":"call"}' },
        { type: 'finish', finishReason: 'tool-calls' },
      ]),
    );
    assert.deepEqual(
      message.content.map((block) => (block.type === 'tool_use' ? block.input : block.type)),
      [{ q: 'a' }, { q: 'b' }],
    );
  });

  test('events without a stream-start still get a message_start', async () => {
    const message = await readWithSdk(encodeAll([{ type: 'text-delta', text: 'Hi' }, { type: 'finish', finishReason: 'length' }]));
    assert.match(message.id, /^msg_[0-9a-f]{32}$/);
    assert.equal(message.stop_reason, 'max_tokens');
    assert.deepEqual(message.content, [{ type: 'text', text: 'Hi' }]);
  });

  test("an error event is Anthropic's in-stream error, with nothing after it", async () => {
    const encoder = createAnthropicStreamEncoder();
    encoder.encode(start);
    encoder.encode({ type: 'text-delta', text: 'Partial' });
    assert.equal(
      encoder.encode({ type: 'error', code: 'upstream_overloaded', message: 'Overloaded' }),
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    );
    assert.equal(encoder.encode({ type: 'text-delta', text: 'more' }), '');
    assert.equal(encoder.encode({ type: 'finish', finishReason: 'stop' }), '');
    assert.equal(encoder.end(), '');
    await assert.rejects(readWithSdk(encodeAll([start, { type: 'text-delta', text: 'Partial' }, { type: 'error', code: 'upstream_overloaded', message: 'Overloaded' }])), /overloaded_error/);
  });

  test('codes outside the catalog are api_error', () => {
    const encoder = createAnthropicStreamEncoder();
    assert.match(String(encoder.encode({ type: 'error', code: 'something_else', message: 'Oops' })), /"type":"api_error"/);
  });

  test('a stream that ends without finish or error tells the client it broke', async () => {
    const body = encodeAll([start, { type: 'text-delta', text: 'Cut' }]);
    assert.match(body, /event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"The upstream stream ended before it finished"\}\}\n\n$/);
    assert.doesNotMatch(body, /message_stop/);
    await assert.rejects(readWithSdk(body), /api_error/);
  });

  test('content after finish is not written; only usage is kept', () => {
    const body = encodeAll([start, { type: 'finish', finishReason: 'stop' }, { type: 'text-delta', text: 'late' }, { type: 'usage', usage: { inputTokens: 3, outputTokens: 4 } }]);
    assert.doesNotMatch(body, /late/);
    assert.match(body, /"output_tokens":4/);
  });
});
