import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser, formatSse } from './sse-parser.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

test('parses events split at every byte boundary', () => {
  const text = 'event: a\ndata: {"x":"é"}\n\n: comment\r\ndata: one\r\ndata: two\r\n\r\ndata: [DONE]\n\n';
  const whole = new SseParser().push(bytes(text));
  const encoded = bytes(text);
  const parser = new SseParser();
  const split = [];
  for (const byte of encoded) split.push(...parser.push(Uint8Array.of(byte)));
  split.push(...parser.end());
  assert.deepEqual(whole, [{ event: 'a', data: '{"x":"é"}' }, { data: 'one\ntwo' }, { data: '[DONE]' }]);
  assert.deepEqual(split, whole);
});

test('flushes a final event without a blank line and reports partial input', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push(bytes('data: last')), []);
  assert.equal(parser.hasPartialEvent, true);
  assert.deepEqual(parser.end(), [{ data: 'last' }]);
});

test('formatSse writes the event field only when given', () => {
  assert.equal(formatSse('{}'), 'data: {}\n\n');
  assert.equal(formatSse('{}', 'ping'), 'event: ping\ndata: {}\n\n');
});
