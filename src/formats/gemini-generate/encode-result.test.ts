import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatResult } from '../../core/model/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeResult } from './decode-result.ts';
import { encodeResult } from './encode-result.ts';

const resultFixtures = [
  'response-thinking', 'response-text-with-signature', 'response-image-understanding-vertex', 'response-safety-blocked',
  'response-max-tokens-no-parts', 'response-prompt-blocked',
];

test('every result fixture survives canonical → Gemini → canonical unchanged', () => {
  for (const name of resultFixtures) {
    const decoded = decodeResult(loadFixture(name).payload);
    assert.deepEqual(decodeResult(encodeResult(decoded)), decoded, name);
  }
});

test('re-encodes a recorded answer as Gemini sent it', () => {
  const { payload } = loadFixture('response-thinking');
  const decoded = decodeResult(payload);
  const encoded = encodeResult(decoded);
  assert.deepEqual(encoded, {
    candidates: [{ content: (payload as { candidates: Array<{ content: unknown }> }).candidates[0]?.content, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 8, totalTokenCount: 32, thoughtsTokenCount: 16 },
    modelVersion: 'gemini-2.5-flash',
    createTime: new Date(decoded.created * 1000).toISOString(),
    responseId: 'lghYaaSmK7eomtkP_KDT6A0',
  });
});

test('encodes a result from another provider: tool calls, finish reasons and usage', () => {
  const result: ChatResult = {
    id: 'chatcmpl-123',
    model: 'gpt-4o-2024-08-06',
    created: 1_700_000_000,
    content: [
      { type: 'text', text: 'Checking.' },
      { type: 'tool-call', id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ],
    finishReason: 'tool-calls',
    rawFinishReason: 'tool_calls',
    usage: { inputTokens: 50, outputTokens: 30, cachedInputTokens: 10, reasoningTokens: 12 },
  };
  assert.deepEqual(encodeResult(result), {
    candidates: [
      {
        content: { parts: [{ text: 'Checking.' }, { functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: 'call_abc' } }], role: 'model' },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 18, totalTokenCount: 80, cachedContentTokenCount: 10, thoughtsTokenCount: 12 },
    modelVersion: 'gpt-4o-2024-08-06',
    createTime: '2023-11-14T22:13:20.000Z',
    responseId: 'chatcmpl-123',
  });
  const finish = (finishReason: ChatResult['finishReason'], rawFinishReason?: string) =>
    (encodeResult({ ...result, content: [], finishReason, ...(rawFinishReason === undefined ? {} : { rawFinishReason }) }) as {
      candidates: Array<{ finishReason: string }>;
    }).candidates[0]?.finishReason;
  assert.equal(finish('length', 'max_tokens'), 'MAX_TOKENS');
  assert.equal(finish('content-filter', 'RECITATION'), 'RECITATION');
  assert.equal(finish('content-filter', 'refusal'), 'SAFETY');
  assert.equal(finish('error'), 'OTHER');
  assert.equal(finish('stop', 'end_turn'), 'STOP');
});
