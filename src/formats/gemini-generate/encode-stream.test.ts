import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamEvent } from '../../core/model/index.ts';
import { loadStreamFixture } from './__fixtures__/load-fixture.ts';
import { createStreamDecoder } from './decode-stream.ts';
import { createStreamEncoder } from './encode-stream.ts';

const decode = (text: string): StreamEvent[] => {
  const decoder = createStreamDecoder();
  return [...decoder.push(new TextEncoder().encode(text)), ...decoder.end()];
};

const encode = (events: StreamEvent[]): string => {
  const encoder = createStreamEncoder();
  return events.map((event) => encoder.encode(event)).join('') + encoder.end();
};

const start: StreamEvent = { type: 'stream-start', id: 'resp-1', model: 'gpt-4o', created: 1_700_000_000 };

test('every stream fixture decodes, encodes and decodes back to the same events', () => {
  for (const name of ['stream-function-call-with-signature', 'stream-text', 'stream-thinking', 'stream-function-call-single-chunk']) {
    const events = decode(loadStreamFixture(name));
    assert.deepEqual(decode(encode(events)), events, name);
  }
});

test('writes server-sent events of whole GenerateContentResponse chunks', () => {
  const text = encode([start, { type: 'text-delta', text: 'Hi' }, { type: 'finish', finishReason: 'stop' }]);
  assert.deepEqual(text.split('\n\n').filter((line) => line !== '').map((line) => JSON.parse(line.replace(/^data: /, '')) as unknown), [
    { candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, index: 0 }], modelVersion: 'gpt-4o', createTime: '2023-11-14T22:13:20.000Z', responseId: 'resp-1' },
    {
      candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, index: 0, finishReason: 'STOP' }],
      modelVersion: 'gpt-4o', createTime: '2023-11-14T22:13:20.000Z', responseId: 'resp-1',
    },
  ]);
});

test('buffers OpenAI-style argument deltas into whole function calls, and sends late usage with the finish', () => {
  const events: StreamEvent[] = [
    start,
    { type: 'text-delta', text: 'Let me check.' },
    { type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city": ' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
    { type: 'tool-call-start', index: 1, id: 'call_2', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"zone":"CET"}' },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    { type: 'usage', usage: { inputTokens: 40, outputTokens: 25, reasoningTokens: 0 } },
  ];
  const text = encode(events);
  assert.equal(text.match(/"functionCall"/g)?.length, 2);
  assert.deepEqual(decode(text), [
    start,
    { type: 'text-delta', text: 'Let me check.' },
    { type: 'tool-call-start', index: 0, id: 'call_1', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
    { type: 'usage', usage: { inputTokens: 40, outputTokens: 25, reasoningTokens: 0 } },
    { type: 'tool-call-start', index: 1, id: 'call_2', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"zone":"CET"}' },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'STOP' },
  ]);
});

test('carries Anthropic-style thinking and its signature to the part that follows', () => {
  const events: StreamEvent[] = [
    start,
    { type: 'usage', usage: { inputTokens: 12, outputTokens: 1 } },
    { type: 'reasoning-delta', text: 'The user wants ' },
    { type: 'reasoning-delta', text: 'a greeting.' },
    { type: 'reasoning-delta', text: '', signature: 'EqQBCgIYAhIM' },
    { type: 'text-delta', text: 'Hello!' },
    { type: 'usage', usage: { inputTokens: 12, outputTokens: 30 } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
  ];
  const text = encode(events);
  assert.match(text, /"text":"Hello!","thoughtSignature":"EqQBCgIYAhIM"/);
  assert.deepEqual(decode(text), [
    start,
    { type: 'usage', usage: { inputTokens: 12, outputTokens: 1 } },
    { type: 'reasoning-delta', text: 'The user wants ' },
    { type: 'reasoning-delta', text: 'a greeting.' },
    { type: 'reasoning-delta', text: '', signature: 'EqQBCgIYAhIM' },
    { type: 'text-delta', text: 'Hello!' },
    { type: 'usage', usage: { inputTokens: 12, outputTokens: 30 } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP' },
  ]);
});

test('keeps a signature with no part after it, and turns broken arguments into {}', () => {
  const events: StreamEvent[] = [
    start,
    { type: 'tool-call-start', index: 0, id: 'call_9', name: 'search' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q": "unterminated' },
    { type: 'reasoning-delta', text: '', signature: 'late-signature' },
    { type: 'finish', finishReason: 'length', rawFinishReason: 'max_tokens' },
  ];
  assert.deepEqual(decode(encode(events)), [
    start,
    { type: 'tool-call-start', index: 0, id: 'call_9', name: 'search' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    { type: 'reasoning-delta', text: '', signature: 'late-signature' },
    { type: 'finish', finishReason: 'length', rawFinishReason: 'MAX_TOKENS' },
  ]);
});

test('writes an error as Gemini\'s in-stream error and nothing after it', () => {
  const encoder = createStreamEncoder();
  const written = [
    encoder.encode(start),
    encoder.encode({ type: 'text-delta', text: 'partial' }),
    encoder.encode({ type: 'error', code: 'upstream_rate_limited', message: 'Provider rate limit' }),
    encoder.encode({ type: 'text-delta', text: 'ignored' }),
    encoder.end(),
  ];
  assert.equal(written[3], '');
  assert.equal(written[4], '');
  const errorChunk = JSON.parse(String(written[2]).replace(/^data: /, '')) as { error: { code: number; status: string } };
  assert.equal(errorChunk.error.code, 429);
  assert.equal(errorChunk.error.status, 'RESOURCE_EXHAUSTED');
  assert.deepEqual(decode(written.join('')).at(-1), { type: 'error', code: 'upstream_rate_limited', message: 'Provider rate limit' });
  // A code with no Google status of its own survives through the ErrorInfo reason.
  const interrupted = encode([start, { type: 'error', code: 'upstream_stream_interrupted', message: 'cut' }]);
  assert.deepEqual(decode(interrupted).at(-1), { type: 'error', code: 'upstream_stream_interrupted', message: 'cut' });
});

test('writes no finishReason when the stream had no finish, so a Gemini reader sees it cut off', () => {
  const text = encode([start, { type: 'text-delta', text: 'half an ans' }]);
  assert.doesNotMatch(text, /finishReason/);
  assert.equal(decode(text).at(-1)?.type, 'error');
  assert.equal(createStreamEncoder().end(), '');
});
