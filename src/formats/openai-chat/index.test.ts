import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openaiChatFormat } from './index.ts';
import { readFixture, readStreamFixture } from './__fixtures__/read-fixture.ts';

test('openaiChatFormat is the openai-chat codec, wired end to end', () => {
  assert.equal(openaiChatFormat.name, 'openai-chat');
  const request = openaiChatFormat.decodeRequest(readFixture('request-functions.json'));
  const upstreamBody = openaiChatFormat.encodeRequest({ ...request, stream: true }, { model: 'gpt-4o' });
  assert.deepEqual(upstreamBody['stream_options'], { include_usage: true });
  const result = openaiChatFormat.decodeResult(readFixture('response-functions.json'));
  assert.equal(openaiChatFormat.decodeResult(openaiChatFormat.encodeResult(result)).id, 'chatcmpl-abc123');
  const decoder = openaiChatFormat.createStreamDecoder();
  const events = [...decoder.push(new TextEncoder().encode(readStreamFixture('stream-tool-call.json'))), ...decoder.end()];
  const encoder = openaiChatFormat.createStreamEncoder(request);
  const text = events.map((event) => encoder.encode(event)).join('') + String(encoder.end());
  assert.ok(text.endsWith('data: [DONE]\n\n'));
  assert.equal(openaiChatFormat.decodeError(429, '{}', new Headers()).code, 'upstream_rate_limited');
  assert.equal(openaiChatFormat.encodeError(openaiChatFormat.decodeError(429, '{}', new Headers())).status, 429);
});
