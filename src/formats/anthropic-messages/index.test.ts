import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anthropicMessagesFormat } from './index.ts';

test('the wire format is named and wires every codec function', () => {
  assert.equal(anthropicMessagesFormat.name, 'anthropic-messages');
  const request = anthropicMessagesFormat.decodeRequest({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
  assert.deepEqual(anthropicMessagesFormat.encodeRequest(request, { model: 'claude-y' }), { model: 'claude-y', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
  const decoder = anthropicMessagesFormat.createStreamDecoder();
  assert.deepEqual(decoder.end(), [{ type: 'error', code: 'upstream_stream_interrupted', message: 'The Anthropic stream ended before message_stop' }]);
  assert.equal(anthropicMessagesFormat.createStreamEncoder(request).encode({ type: 'text-delta', text: '' }), '');
  assert.equal(anthropicMessagesFormat.decodeError(529, '', new Headers()).code, 'upstream_overloaded');
});
