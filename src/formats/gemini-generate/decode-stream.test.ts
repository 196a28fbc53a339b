import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamEvent } from '../../core/model/index.ts';
import { loadStreamFixture } from './__fixtures__/load-fixture.ts';
import { createStreamDecoder } from './decode-stream.ts';

const streamFixtures = ['stream-function-call-with-signature', 'stream-text', 'stream-thinking', 'stream-function-call-single-chunk'];
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const decodeChunks = (chunks: Uint8Array[]): StreamEvent[] => {
  const decoder = createStreamDecoder();
  return [...chunks.flatMap((chunk) => decoder.push(chunk)), ...decoder.end()];
};
const decodeText = (text: string): StreamEvent[] => decodeChunks([bytes(text)]);

/** A small seeded generator (mulberry32), so the random splits are the same on every run. */
const seededRandom = (seed: number): (() => number) => {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const randomSplit = (data: Uint8Array, random: () => number): Uint8Array[] => {
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < data.length; ) {
    const end = Math.min(data.length, start + 1 + Math.floor(random() * 40));
    chunks.push(data.subarray(start, end));
    start = end;
  }
  return chunks;
};

/** `created` is the arrival time where Gemini sends no createTime: not part of what is compared. */
const withoutCreated = (events: StreamEvent[]): StreamEvent[] =>
  events.map((event) => (event.type === 'stream-start' ? { ...event, created: 0 } : event));

test('decodes the same events whatever the byte split: whole, byte by byte, random', () => {
  const random = seededRandom(20_260_101);
  for (const name of streamFixtures) {
    const data = bytes(loadStreamFixture(name));
    const whole = withoutCreated(decodeChunks([data]));
    assert.deepEqual(withoutCreated(decodeChunks([...data].map((byte) => Uint8Array.of(byte)))), whole, `${name} byte by byte`);
    for (let round = 0; round < 20; round++) {
      assert.deepEqual(withoutCreated(decodeChunks(randomSplit(data, random))), whole, `${name} random split ${round}`);
    }
  }
});

test('decodes a streamed function call with its thought signature', () => {
  const events = decodeText(loadStreamFixture('stream-function-call-with-signature'));
  assert.deepEqual(events.map((event) => event.type), [
    'stream-start', 'usage', 'reasoning-delta', 'tool-call-start', 'tool-call-delta', 'finish',
  ]);
  assert.deepEqual(withoutCreated(events).slice(0, 2), [
    { type: 'stream-start', id: 'SVV8aY6uBqe6qtsPmJbEuAM', model: 'gemini-3-pro-preview', created: 0 },
    { type: 'usage', usage: { inputTokens: 29, outputTokens: 120, reasoningTokens: 110 } },
  ]);
  const signature = events[2];
  assert.ok(signature?.type === 'reasoning-delta' && signature.text === '' && signature.signature?.startsWith('Et8ECtwEAXLI2ny'));
  assert.deepEqual(events.slice(3), [
    { type: 'tool-call-start', index: 0, id: 'gemini-call-SVV8aY6uBqe6qtsPmJbEuAM-0-get_country', name: 'get_country' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'STOP' },
  ]);
});

test('decodes text deltas with cumulative usage, the last one winning', () => {
  const events = withoutCreated(decodeText(loadStreamFixture('stream-text')));
  assert.deepEqual(events, [
    { type: 'stream-start', id: 'S1V8aZK2NpGKqtsPvPuEqAw', model: 'gemini-3-pro-preview', created: 0 },
    { type: 'usage', usage: { inputTokens: 55, outputTokens: 4 } },
    { type: 'text-delta', text: 'The capital of Mexico' },
    { type: 'usage', usage: { inputTokens: 55, outputTokens: 8 } },
    { type: 'text-delta', text: ' is Mexico City.' },
    { type: 'usage', usage: { inputTokens: 165, outputTokens: 8 } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP' },
  ]);
});

test('decodes thoughts as reasoning deltas, then the signed answer', () => {
  const events = decodeText(loadStreamFixture('stream-thinking'));
  const types = events.map((event) => event.type);
  assert.deepEqual(types, [
    'stream-start', 'usage', 'reasoning-delta', 'usage', 'reasoning-delta', 'usage', 'reasoning-delta', 'text-delta',
    'usage', 'text-delta', 'usage', 'text-delta', 'finish',
  ]);
  assert.ok(events[2]?.type === 'reasoning-delta' && events[2].text.startsWith('**Defining the Goal**') && events[2].signature === undefined);
  assert.ok(events[6]?.type === 'reasoning-delta' && events[6].text === '' && events[6].signature?.startsWith('CiIBcsjaf'));
  assert.deepEqual(events.filter((event) => event.type === 'usage').at(-1), {
    type: 'usage', usage: { inputTokens: 34, outputTokens: 1146, reasoningTokens: 759 },
  });
});

test('decodes a function call, its signature and the finish from one chunk', () => {
  const events = decodeText(loadStreamFixture('stream-function-call-single-chunk'));
  assert.deepEqual(events.slice(3), [
    { type: 'tool-call-start', index: 0, id: 'gemini-call-qpc2afWVFJK4vr0Pq6WiyAU-0-getWeather', name: 'getWeather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":"Tokyo"}' },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'STOP' },
  ]);
});

const chunk = (parts: object[], finishReason?: string) =>
  `data: ${JSON.stringify({ candidates: [{ content: { parts, role: 'model' }, ...(finishReason === undefined ? {} : { finishReason }) }], responseId: 'r1' })}\n\n`;

test('numbers calls across chunks and keeps Gemini\'s own ids', () => {
  const events = decodeText(
    chunk([{ functionCall: { name: 'lookup', args: { q: 'a' } } }]) +
      chunk([{ functionCall: { name: 'lookup', args: { q: 'b' } } }, { functionCall: { id: 'own-id', name: 'save', args: {} } }], 'STOP'),
  );
  assert.deepEqual(events.filter((event) => event.type === 'tool-call-start'), [
    { type: 'tool-call-start', index: 0, id: 'gemini-call-r1-0-lookup', name: 'lookup' },
    { type: 'tool-call-start', index: 1, id: 'gemini-call-r1-1-lookup', name: 'lookup' },
    { type: 'tool-call-start', index: 2, id: 'own-id', name: 'save' },
  ]);
});

test('finishes a prompt blocked before generation as content-filter', () => {
  const events = decodeText('data: {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"},"usageMetadata": {"promptTokenCount": 9,"totalTokenCount": 9},"modelVersion": "gemini-2.5-flash","responseId": "x1"}\r\n\r\n');
  assert.deepEqual(withoutCreated(events), [
    { type: 'stream-start', id: 'x1', model: 'gemini-2.5-flash', created: 0 },
    { type: 'usage', usage: { inputTokens: 9, outputTokens: 0 } },
    { type: 'finish', finishReason: 'content-filter', rawFinishReason: 'PROHIBITED_CONTENT' },
  ]);
});

test('takes only usage after the finish', () => {
  const events = decodeText(
    'data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]},"finishReason":"STOP"}]}\n\n' +
      'data: {"candidates":[{"content":{"parts":[{"text":"late"}]}}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1}}\n\n',
  );
  assert.deepEqual(events.slice(1), [
    { type: 'text-delta', text: 'Hi' },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP' },
    { type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } },
  ]);
});

test('reports a body that ends before its finishReason as interrupted', () => {
  const full = loadStreamFixture('stream-text');
  const cut = full.slice(0, full.lastIndexOf('data:'));
  const events = decodeText(cut);
  assert.deepEqual(events.at(-1), { type: 'error', code: 'upstream_stream_interrupted', message: 'The provider stream ended before its finishReason' });
  assert.equal(events.filter((event) => event.type === 'finish').length, 0);
  assert.deepEqual(decodeText(''), [{ type: 'error', code: 'upstream_stream_interrupted', message: 'The provider stream ended before its finishReason' }]);
  // Cut inside a chunk: the connection broke, the provider did not send bad JSON.
  assert.deepEqual(decodeText(full.slice(0, 60)), [
    { type: 'error', code: 'upstream_stream_interrupted', message: 'The provider stream ended inside a chunk' },
  ]);
  // A last chunk without its blank line is whole all the same.
  assert.equal(decodeText(full.trimEnd()).at(-1)?.type, 'finish');
});

test('reports a malformed chunk once and ignores everything after it', () => {
  const decoder = createStreamDecoder();
  const events = [
    ...decoder.push(bytes('data: {"candidates":[{"content":{"parts":[{"text":"ok"}]}}]}\n\ndata: {not json}\n\n')),
    ...decoder.push(bytes('data: {"candidates":[{"content":{"parts":[{"text":"more"}]},"finishReason":"STOP"}]}\n\n')),
    ...decoder.end(),
  ];
  assert.deepEqual(events.slice(1), [
    { type: 'text-delta', text: 'ok' },
    { type: 'error', code: 'upstream_invalid_response', message: 'The provider sent a stream chunk that is not JSON' },
  ]);
  const invalid = decodeText('data: {"candidates":[{"content":{"parts":[{"text":7}]}}]}\n\n');
  assert.deepEqual(invalid, [{ type: 'error', code: 'upstream_invalid_response', message: 'The provider sent a malformed stream chunk' }]);
  assert.deepEqual(decodeText('data: [1, 2]\n\n'), [{ type: 'error', code: 'upstream_invalid_response', message: 'The provider sent a malformed stream chunk' }]);
});

test('reports an error sent inside the stream with its classified code', () => {
  const events = decodeText(
    'data: {"candidates":[{"content":{"parts":[{"text":"Hel"}]}}]}\n\n' +
      'data: {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}\n\n',
  );
  assert.deepEqual(events.slice(1), [
    { type: 'text-delta', text: 'Hel' },
    { type: 'error', code: 'upstream_rate_limited', message: 'Resource has been exhausted (e.g. check quota).' },
  ]);
});
