import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateCompletion, validateStream } from './validate-response.ts';

const completion = JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Yes.' }, finish_reason: 'stop' }] });
const chunk = (delta: string, finish: string | null): string =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: delta }, finish_reason: finish }] })}\n\n`;
const stream = `${chunk('Yes', null)}${chunk('.', 'stop')}data: [DONE]\n\n`;

test('a complete chat completion passes', () => {
  assert.equal(validateCompletion(200, completion), undefined);
});

test('an error status fails even with a valid-looking body', () => {
  assert.equal(validateCompletion(502, completion), 'status 502');
});

test('malformed and foreign bodies fail', () => {
  assert.equal(validateCompletion(200, '{"object":'), 'body is not JSON');
  assert.equal(validateCompletion(200, '{"error":{"message":"upstream failed"}}'), 'body is not a chat completion');
  assert.equal(validateCompletion(200, JSON.stringify({ object: 'chat.completion', choices: [] })), 'body is not a chat completion');
});

test('a complete SSE stream passes, with CRLF separators too', () => {
  assert.equal(validateStream(200, 'text/event-stream; charset=utf-8', stream), undefined);
  assert.equal(validateStream(200, 'text/event-stream', stream.replaceAll('\n', '\r\n')), undefined);
});

test('a stream cut short, without [DONE], fails', () => {
  assert.equal(validateStream(200, 'text/event-stream', chunk('Yes', null)), 'stream did not end with data: [DONE]');
});

test('a stream without a finish reason fails', () => {
  assert.equal(validateStream(200, 'text/event-stream', `${chunk('Yes', null)}data: [DONE]\n\n`), 'stream has no finish_reason');
});

test('an error event inside the stream fails', () => {
  const broken = `${chunk('Yes', null)}data: {"error":{"message":"upstream reset"}}\n\ndata: [DONE]\n\n`;
  assert.match(validateStream(200, 'text/event-stream', broken) ?? '', /^unexpected event/);
});

test('a JSON answer to a streamed request fails on its content type', () => {
  assert.equal(validateStream(200, 'application/json', completion), 'content-type application/json');
  assert.equal(validateStream(429, 'text/event-stream', stream), 'status 429');
  assert.equal(validateStream(200, 'text/event-stream', 'data: [DONE]\n\n'), 'stream has no chunks');
});
