import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/model/index.ts';
import { estimateGeneratedTokens, estimateInputTokens, estimateRequestTokens } from './estimate-request-tokens.ts';

const request: ChatRequest = {
  model: 'm',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'a'.repeat(40) }] },
    { role: 'user', content: [{ type: 'text', text: 'b'.repeat(40) }, { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } }] },
    { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'lookup', arguments: '{"q":"x"}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'c'.repeat(11) }] }] },
  ],
  tools: [{ name: 'lookup', description: 'find', parameters: { type: 'object' } }],
  sampling: {},
  stream: false,
};

test('input tokens: characters over four, plus framing per message and a floor per image', () => {
  // Text 40 + 40 + (6 + 9) + 11 + tool (6 + 4) = 116 characters → 29 tokens; 4 messages × 4; one image 85.
  assert.equal(estimateInputTokens(request), 29 + 16 + 85);
});

test('the request estimate adds max_tokens, or the default when the request sets none', () => {
  assert.equal(estimateRequestTokens(request, 1000), 130 + 1000);
  assert.equal(estimateRequestTokens({ ...request, sampling: { maxOutputTokens: 7 } }, 1000), 137);
});

test('an empty conversation costs nothing but its output allowance', () => {
  assert.equal(estimateRequestTokens({ ...request, messages: [], tools: undefined }, 5), 5);
  assert.equal(estimateGeneratedTokens(0), 0);
  assert.equal(estimateGeneratedTokens(9), 3);
});
