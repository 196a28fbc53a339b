import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest, JsonValue, StreamEvent } from '../../core/model/index.ts';
import { EventStreamFrameReader } from './event-stream-framing.ts';
import { bedrockConverseFormat } from './index.ts';
import { byteByByte, concatenate, decodeChunks, loadFixture, pinStreamStart, streamBody } from './test-support.ts';

const request: ChatRequest = { model: 'alias', messages: [], sampling: {}, stream: true };
const start: StreamEvent = { type: 'stream-start', id: 'id', model: '', created: 0 };

/** The Bedrock encoder writes bytes; the contract allows strings for text formats. */
const bytes = (part: string | Uint8Array): Uint8Array => (typeof part === 'string' ? new TextEncoder().encode(part) : part);

const encode = (events: StreamEvent[]): Uint8Array => {
  const encoder = bedrockConverseFormat.createStreamEncoder(request);
  const parts = events.map((event) => bytes(encoder.encode(event)));
  parts.push(bytes(encoder.end()));
  return concatenate(parts);
};

const exceptionType = (code: string): string | undefined => {
  const encoder = bedrockConverseFormat.createStreamEncoder(request);
  return new EventStreamFrameReader().push(bytes(encoder.encode({ type: 'error', code, message: 'x' }))).at(-1)?.headers[':exception-type'];
};

const framesOf = (body: Uint8Array): Array<[string, JsonValue]> =>
  new EventStreamFrameReader()
    .push(body)
    .map((frame) => [frame.headers[':event-type'] ?? frame.headers[':exception-type'] ?? '', JSON.parse(new TextDecoder().decode(frame.payload)) as JsonValue]);

const events: StreamEvent[] = [
  start,
  { type: 'reasoning-delta', text: 'Weather, ' },
  { type: 'reasoning-delta', text: 'then answer.', signature: 'sig' },
  { type: 'text-delta', text: 'Let me check. ' },
  { type: 'tool-call-start', index: 0, id: 'call_1', name: 'weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
  { type: 'tool-call-start', index: 1, id: 'call_2', name: 'time' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
  { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
  { type: 'usage', usage: { inputTokens: 1500, outputTokens: 40, cachedInputTokens: 1000, cacheWriteInputTokens: 200 } },
];

test('writes the frames a Bedrock SDK expects', () => {
  const frames = framesOf(encode(events));
  const [lastType, lastPayload] = frames.at(-1) ?? ['', null];
  assert.equal(lastType, 'metadata');
  const metadata = lastPayload as { usage: JsonValue; metrics: { latencyMs: number } };
  assert.ok(metadata.metrics.latencyMs >= 0);
  assert.deepEqual(frames.slice(0, -1), [
    ['messageStart', { role: 'assistant' }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Weather, ' } } }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'then answer.' } } }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'sig' } } }],
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['contentBlockDelta', { contentBlockIndex: 1, delta: { text: 'Let me check. ' } }],
    ['contentBlockStop', { contentBlockIndex: 1 }],
    ['contentBlockStart', { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'call_1', name: 'weather' } } }],
    ['contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '{"city":' } } }],
    ['contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '"Paris"}' } } }],
    ['contentBlockStop', { contentBlockIndex: 2 }],
    ['contentBlockStart', { contentBlockIndex: 3, start: { toolUse: { toolUseId: 'call_2', name: 'time' } } }],
    ['contentBlockDelta', { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } }],
    ['contentBlockStop', { contentBlockIndex: 3 }],
    ['messageStop', { stopReason: 'tool_use' }],
  ]);
  assert.deepEqual(metadata.usage, {
    inputTokens: 300,
    outputTokens: 40,
    totalTokens: 1540,
    cacheReadInputTokens: 1000,
    cacheWriteInputTokens: 200,
  });
});

test('decodes back to the same events', () => {
  const body = encode(events);
  const decoded = pinStreamStart(decodeChunks(bedrockConverseFormat.createStreamDecoder(), byteByByte(body)));
  const reasoning = decoded.filter((event) => event.type === 'reasoning-delta');
  assert.deepEqual(reasoning, [
    { type: 'reasoning-delta', text: 'Weather, ' },
    { type: 'reasoning-delta', text: 'then answer.' },
    { type: 'reasoning-delta', text: '', signature: 'sig' },
  ]);
  const rest = decoded.filter((event) => event.type !== 'reasoning-delta');
  assert.deepEqual(rest, [
    start,
    { type: 'text-delta', text: 'Let me check. ' },
    ...events.slice(4, 9),
    events[10],
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
  ]);
});

test('re-encodes a recorded stream to the same events', () => {
  const pairs = loadFixture<Array<[string, JsonValue]>>('stream-reasoning.json').payload;
  const decoded = decodeChunks(bedrockConverseFormat.createStreamDecoder(), [streamBody(pairs)]);
  const again = decodeChunks(bedrockConverseFormat.createStreamDecoder(), [encode(decoded)]);
  assert.deepEqual(pinStreamStart(again), pinStreamStart(decoded));
});

test('writes an error as an exception frame and nothing after it', () => {
  const encoder = bedrockConverseFormat.createStreamEncoder(request);
  encoder.encode(start);
  encoder.encode({ type: 'text-delta', text: 'Hel' });
  const exception = bytes(encoder.encode({ type: 'error', code: 'upstream_rate_limited', message: 'Slow down' }));
  const [frame] = new EventStreamFrameReader().push(exception);
  assert.deepEqual(frame?.headers, { ':exception-type': 'throttlingException', ':content-type': 'application/json', ':message-type': 'exception' });
  assert.deepEqual(JSON.parse(new TextDecoder().decode(frame?.payload)), { message: 'Slow down' });
  assert.equal(encoder.encode({ type: 'text-delta', text: 'lo' }).length, 0);
  assert.equal(encoder.end().length, 0);
  const decoded = decodeChunks(bedrockConverseFormat.createStreamDecoder(), [exception]);
  assert.deepEqual(decoded, [{ type: 'error', code: 'upstream_rate_limited', message: 'Bedrock throttlingException: Slow down' }]);
});

test('maps error codes to the exceptions ConverseStream has', () => {
  assert.equal(exceptionType('upstream_overloaded'), 'serviceUnavailableException');
  assert.equal(exceptionType('upstream_context_length_exceeded'), 'validationException');
  assert.equal(exceptionType('upstream_stream_interrupted'), 'modelStreamErrorException');
  assert.equal(exceptionType('internal_error'), 'internalServerException');
  assert.equal(exceptionType('something_else'), 'internalServerException');
});

test('writes no metadata for a stream that never finished', () => {
  const encoder = bedrockConverseFormat.createStreamEncoder(request);
  encoder.encode({ type: 'text-delta', text: 'cut' });
  assert.equal(encoder.end().length, 0);
});
