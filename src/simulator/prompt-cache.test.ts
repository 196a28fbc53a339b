import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../core/model/index.ts';
import { PromptCache } from './prompt-cache.ts';
import { requestSegments } from './request-segments.ts';

const count = (cache: PromptCache, chatRequest: ChatRequest) => cache.count(chatRequest.model, requestSegments(chatRequest));

const longText = 'Reference manual section. '.repeat(200);

const request = (question: string, cached = true, model = 'claude-sonnet-4-5'): ChatRequest => ({
  model,
  stream: false,
  sampling: {},
  messages: [
    { role: 'system', content: [{ type: 'text', text: longText, ...(cached ? { cacheControl: { type: 'ephemeral' as const } } : {}) }] },
    { role: 'user', content: [{ type: 'text', text: question }] },
  ],
});

test('the first request writes the cached prefix and the second reads it', () => {
  const cache = new PromptCache();
  const first = count(cache, request('What does section one say?'));
  assert.equal(first.cachedInputTokens, 0);
  assert.ok(first.cacheWriteInputTokens > 200);
  assert.ok(first.inputTokens > first.cacheWriteInputTokens);
  const second = count(cache, request('And section two?'));
  assert.equal(second.cachedInputTokens, first.cacheWriteInputTokens);
  assert.equal(second.cacheWriteInputTokens, 0);
});

test('without breakpoints nothing is cached, and prefixes do not leak across models', () => {
  const cache = new PromptCache();
  count(cache, request('q', false));
  assert.deepEqual({ ...count(cache, request('q', false)), inputTokens: 0 }, { inputTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0 });
  count(cache, request('q'));
  assert.equal(count(cache, request('q', true, 'claude-haiku-4-5')).cachedInputTokens, 0);
});

test('a changed prefix misses the cache', () => {
  const cache = new PromptCache();
  count(cache, request('q'));
  const changed = request('q');
  changed.messages[0] = { role: 'system', content: [{ type: 'text', text: `${longText}!`, cacheControl: { type: 'ephemeral' } }] };
  assert.equal(count(cache, changed).cachedInputTokens, 0);
});

test('the LRU forgets the least recently used prefix', () => {
  const cache = new PromptCache(1);
  count(cache, request('q', true, 'model-a'));
  count(cache, request('q', true, 'model-b'));
  assert.equal(count(cache, request('q', true, 'model-a')).cachedInputTokens, 0);
});
