import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonValue, StreamEvent } from '../../core/model/index.ts';
import { encodeEventStreamFrame } from './event-stream-framing.ts';
import { bedrockConverseFormat, createBedrockConverseFormat, jsonResponseToolName } from './index.ts';
import { base64Bytes, byteByByte, decodeChunks, eventFrame, loadFixture, pinStreamStart, randomSplits, streamBody } from './test-support.ts';

const decode = (chunks: Uint8Array[]): StreamEvent[] => pinStreamStart(decodeChunks(bedrockConverseFormat.createStreamDecoder(), chunks));
const start: StreamEvent = { type: 'stream-start', id: 'id', model: '', created: 0 };

const reasoningPairs = loadFixture<Array<[string, JsonValue]>>('stream-reasoning.json').payload;
const toolPairs = loadFixture<Array<[string, JsonValue]>>('stream-redacted-tool-use.json').payload;

test('decodes a recorded reasoning stream', () => {
  const events = decode([streamBody(reasoningPairs)]);
  const reasoning = events.filter((event) => event.type === 'reasoning-delta');
  assert.equal(reasoning.map((event) => event.text).join(''), 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.');
  assert.equal(reasoning.length, 11, 'the empty text delta is dropped, the signature kept');
  assert.match(reasoning.at(-1)?.signature ?? '', /^Ep0CCkgICxAB/);
  assert.deepEqual(events[0], start);
  assert.equal(events.filter((event) => event.type === 'text-delta').map((event) => event.text).join(''), 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y');
  assert.deepEqual(events.slice(-2), [
    { type: 'usage', usage: { inputTokens: 51, outputTokens: 94 } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
  ]);
});

test('numbers tool calls among themselves and streams their input', () => {
  const events = decode([streamBody(toolPairs)]);
  const redactedDelta = toolPairs[1]?.[1] as { delta: { reasoningContent: { redactedContent: string } } };
  assert.deepEqual(events[1], { type: 'reasoning-delta', text: '', redacted: redactedDelta.delta.reasoningContent.redactedContent });
  assert.deepEqual(events[2], { type: 'tool-call-start', index: 0, id: 'call_61f8fcbe423a58699163c53e076f1a06', name: 'propose' });
  const argumentsText = events.flatMap((event) => (event.type === 'tool-call-delta' && event.index === 0 ? [event.argumentsDelta] : [])).join('');
  assert.deepEqual(JSON.parse(argumentsText), { groups: [{ name: 'Sales', parentGroupName: '' }] });
  assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
});

test('gives the same events byte by byte and in random splits', () => {
  for (const pairs of [reasoningPairs, toolPairs]) {
    const body = streamBody(pairs);
    const whole = decode([body]);
    assert.deepEqual(decode(byteByByte(body)), whole);
    for (const seed of [7, 99, 12345]) assert.deepEqual(decode(randomSplits(body, seed)), whole);
  }
});

test('decodes the binary body of a live call, padding and all', () => {
  const live = loadFixture<{ bodyBase64: string }>('stream-live-claude-sonnet.json').payload;
  const body = base64Bytes(live.bodyBase64);
  const expected: StreamEvent[] = [
    start,
    { type: 'text-delta', text: 'OK' },
    { type: 'text-delta', text: '.' },
    { type: 'usage', usage: { inputTokens: 12, outputTokens: 5 } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
  ];
  assert.deepEqual(decode([body]), expected);
  assert.deepEqual(decode(byteByByte(body)), expected);
});

test('reports an exception frame with its mapped code', () => {
  const exception = base64Bytes(loadFixture<{ bodyBase64: string }>('stream-model-stream-error.json').payload.bodyBase64);
  const events = decode([streamBody(reasoningPairs.slice(0, 3)), exception, streamBody(reasoningPairs.slice(3))]);
  assert.deepEqual(events.at(-1), { type: 'error', code: 'upstream_server_error', message: 'Bedrock modelStreamErrorException: Model Stream Error' });
  assert.equal(events.filter((event) => event.type === 'error').length, 1);
  assert.equal(events.some((event) => event.type === 'finish'), false);
  const throttled = encodeEventStreamFrame(
    { ':message-type': 'exception', ':exception-type': 'throttlingException', ':content-type': 'application/json' },
    new TextEncoder().encode('{"message":"Too many tokens, please wait before trying again."}'),
  );
  assert.deepEqual(decode([throttled]), [
    { type: 'error', code: 'upstream_rate_limited', message: 'Bedrock throttlingException: Too many tokens, please wait before trying again.' },
  ]);
});

test('turns a corrupted frame into one upstream_invalid_response error', () => {
  const body = streamBody(reasoningPairs);
  const corrupted = body.slice();
  corrupted[200] = (corrupted[200] ?? 0) ^ 0x55;
  const events = decode(randomSplits(corrupted, 5));
  assert.equal(events.at(-1)?.type, 'error');
  assert.equal((events.at(-1) as { code: string }).code, 'upstream_invalid_response');
  assert.equal(events.filter((event) => event.type === 'error').length, 1);
});

test('turns a malformed payload into upstream_invalid_response', () => {
  for (const frame of [
    eventFrame('contentBlockDelta', { contentBlockIndex: 'zero', delta: { text: 'x' } }),
    eventFrame('metadata', { usage: { inputTokens: 1 } }),
    encodeEventStreamFrame({ ':event-type': 'messageStop', ':message-type': 'event' }, new TextEncoder().encode('{not json')),
    eventFrame('contentBlockDelta', { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } }),
  ]) {
    const events = decode([eventFrame('messageStart', { role: 'assistant' }), frame, eventFrame('messageStop', { stopReason: 'end_turn' })]);
    assert.deepEqual(
      events.map((event) => (event.type === 'error' ? event.code : event.type)),
      ['stream-start', 'upstream_invalid_response'],
    );
  }
});

test('reports a body that ends before messageStop and metadata as interrupted', () => {
  const cases: Array<[Uint8Array, RegExp]> = [
    [streamBody(reasoningPairs.slice(0, 20)), /before messageStop/],
    [streamBody(reasoningPairs.slice(0, -1)), /before its metadata/],
    [streamBody(reasoningPairs).subarray(0, streamBody(reasoningPairs).length - 7), /middle of an event-stream frame/],
    [new Uint8Array(0), /before messageStop/],
  ];
  for (const [body, message] of cases) {
    const last = decode([body]).at(-1);
    assert.equal(last?.type, 'error');
    assert.equal((last as { code: string }).code, 'upstream_stream_interrupted');
    assert.match((last as { message: string }).message, message);
  }
});

test('holds finish until usage has come, and skips unknown events', () => {
  const metadataFirst = decode([
    streamBody([
      ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } }],
      ['metadata', { usage: { inputTokens: 3, outputTokens: 1, cacheReadInputTokens: 2 } }],
      ['messageStop', { stopReason: 'max_tokens', additionalModelResponseFields: { stop_sequence: null } }],
      ['someFutureEvent', { anything: true }],
    ]),
  ]);
  assert.deepEqual(metadataFirst, [
    start,
    { type: 'text-delta', text: 'Hi' },
    { type: 'usage', usage: { inputTokens: 5, outputTokens: 1, cachedInputTokens: 2 } },
    { type: 'finish', finishReason: 'length', rawFinishReason: 'max_tokens' },
  ]);
});

test('streams the reserved answer tool as text in tool mode', () => {
  const body = streamBody([
    ['messageStart', { role: 'assistant' }],
    ['contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_1', name: jsonResponseToolName } } }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":' } } }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '"Paris"}' } } }],
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['messageStop', { stopReason: 'tool_use' }],
    ['metadata', { usage: { inputTokens: 10, outputTokens: 5 }, metrics: { latencyMs: 100 } }],
  ]);
  const events = pinStreamStart(decodeChunks(createBedrockConverseFormat({ structuredOutput: 'tool' }).createStreamDecoder(), [body]));
  assert.deepEqual(events, [
    start,
    { type: 'text-delta', text: '{"city":' },
    { type: 'text-delta', text: '"Paris"}' },
    { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'tool_use' },
  ]);
  assert.equal(decode([body])[1]?.type, 'tool-call-start');
});

test('ignores everything after an error', () => {
  const decoder = bedrockConverseFormat.createStreamDecoder();
  assert.equal(decoder.push(new Uint8Array(12)).at(-1)?.type, 'error');
  assert.deepEqual(decoder.push(streamBody(reasoningPairs)), []);
  assert.deepEqual(decoder.end(), []);
});
