import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatResult } from '../../core/model/index.ts';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { decodeResult } from './decode-result.ts';
import { encodeResult } from './encode-result.ts';

const result: ChatResult = {
  id: 'chatcmpl-1',
  model: 'gpt-4o-2024-08-06',
  created: 1723031665,
  content: [
    { type: 'reasoning', text: 'The user wants the weather.' },
    { type: 'text', text: 'Checking.' },
    { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
  ],
  finishReason: 'tool-calls',
  usage: { inputTokens: 30, outputTokens: 12, cachedInputTokens: 10, reasoningTokens: 4 },
};

test('encodes a chat.completion object as OpenAI sends it', () => {
  assert.deepEqual(encodeResult(result), {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1723031665,
    model: 'gpt-4o-2024-08-06',
    choices: [{
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking.',
        refusal: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
        reasoning_content: 'The user wants the weather.',
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    }],
    usage: { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 4 } },
  });
});

test('canonical → encode → decode gives the same result', () => {
  assert.deepEqual(decodeResult(encodeResult(result)), result);
  const empty: ChatResult = { ...result, content: [], finishReason: 'length', usage: { inputTokens: 1, outputTokens: 0, cacheWriteInputTokens: 1 } };
  assert.deepEqual(decodeResult(encodeResult(empty)), empty);
});

test('a reason OpenAI has no word for is sent as "stop", never as another provider\'s word', () => {
  const foreign: ChatResult = { ...result, finishReason: 'other', rawFinishReason: 'pause_turn' };
  const choices = encodeResult(foreign)['choices'];
  assert.ok(Array.isArray(choices));
  assert.equal((choices[0] as { finish_reason: unknown }).finish_reason, 'stop');
});

test('recorded answers survive decode → encode → decode', () => {
  for (const name of ['response-default.json', 'response-functions.json', 'response-structured-output.json']) {
    const decoded = decodeResult(readFixture(name));
    assert.deepEqual(decodeResult(encodeResult(decoded)), decoded, name);
  }
});

test('a finish reason changed by a stage wins over the provider\'s word', () => {
  const filtered: ChatResult = { ...result, finishReason: 'content-filter', rawFinishReason: 'stop' };
  const choices = encodeResult(filtered)['choices'];
  assert.ok(Array.isArray(choices));
  assert.equal((choices[0] as { finish_reason: unknown }).finish_reason, 'content_filter');
});

test('a legacy function_call finish is passed through unchanged', () => {
  const legacy: ChatResult = { ...result, finishReason: 'tool-calls', rawFinishReason: 'function_call' };
  const choices = encodeResult(legacy)['choices'];
  assert.ok(Array.isArray(choices));
  assert.equal((choices[0] as { finish_reason: unknown }).finish_reason, 'function_call');
});
