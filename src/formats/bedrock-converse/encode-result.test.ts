import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatResult } from '../../core/model/index.ts';
import { bedrockConverseFormat } from './index.ts';
import { loadFixture } from './test-support.ts';

const result: ChatResult = {
  id: 'chatcmpl-1',
  model: 'gpt-4o',
  created: 1_700_000_000,
  content: [
    { type: 'reasoning', text: 'Paris, surely.', signature: 'sig' },
    { type: 'text', text: 'Checking.' },
    { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
  ],
  finishReason: 'tool-calls',
  rawFinishReason: 'tool_calls',
  usage: { inputTokens: 1200, outputTokens: 30, cachedInputTokens: 1000 },
};

test('encodes a result as a Converse response', () => {
  assert.deepEqual(bedrockConverseFormat.encodeResult(result), {
    output: {
      message: {
        role: 'assistant',
        content: [
          { reasoningContent: { reasoningText: { text: 'Paris, surely.', signature: 'sig' } } },
          { text: 'Checking.' },
          { toolUse: { toolUseId: 'call_1', name: 'weather', input: { city: 'Paris' } } },
        ],
      },
    },
    stopReason: 'tool_use',
    usage: { inputTokens: 200, outputTokens: 30, totalTokens: 1230, cacheReadInputTokens: 1000 },
    metrics: { latencyMs: 0 },
  });
});

test('round-trips a result through the Converse shape', () => {
  const decoded = bedrockConverseFormat.decodeResult(bedrockConverseFormat.encodeResult(result));
  assert.deepEqual(decoded.content, result.content);
  assert.deepEqual(decoded.usage, result.usage);
  assert.equal(decoded.finishReason, 'tool-calls');
  const stopped = bedrockConverseFormat.encodeResult({ ...result, content: [{ type: 'reasoning', text: '', redacted: 'cmVk' }], finishReason: 'stop', stopSequence: 'END' });
  assert.equal(stopped.stopReason, 'stop_sequence');
  const again = bedrockConverseFormat.decodeResult(stopped);
  assert.equal(again.stopSequence, 'END');
  assert.deepEqual(again.content, [{ type: 'reasoning', text: '', redacted: 'cmVk' }]);
});

test('re-encodes recorded answers to the same content, stop reason and usage', () => {
  for (const name of ['result-reasoning.json', 'result-tool-use.json', 'result-structured-output.json']) {
    const payload = loadFixture<{ stopReason: string; usage: Record<string, number> }>(name).payload;
    const decoded = bedrockConverseFormat.decodeResult(payload);
    const encoded = bedrockConverseFormat.encodeResult(decoded);
    assert.deepEqual(bedrockConverseFormat.decodeResult(encoded).content, decoded.content);
    assert.equal(encoded.stopReason, payload.stopReason);
    const usage = encoded.usage as Record<string, number>;
    for (const field of ['inputTokens', 'outputTokens', 'totalTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens']) {
      assert.equal(usage[field], payload.usage[field], field);
    }
  }
});

const stopReason = (finishReason: ChatResult['finishReason'], rawFinishReason?: string): unknown =>
  bedrockConverseFormat.encodeResult({ ...result, content: [], finishReason, rawFinishReason }).stopReason;

test('uses the Bedrock word for every finish reason', () => {
  assert.equal(stopReason('stop', 'stop'), 'end_turn');
  assert.equal(stopReason('length'), 'max_tokens');
  assert.equal(stopReason('content-filter', 'guardrail_intervened'), 'guardrail_intervened');
  assert.equal(stopReason('content-filter', 'end_turn'), 'content_filtered');
  assert.equal(stopReason('error'), 'malformed_model_output');
  assert.equal(stopReason('other'), 'end_turn');
});
