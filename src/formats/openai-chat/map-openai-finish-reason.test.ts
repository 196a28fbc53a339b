import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapOpenaiFinishReason, toOpenaiFinishReason } from './map-openai-finish-reason.ts';

test('maps OpenAI reasons and keeps the raw word only where the canonical one loses it', () => {
  assert.deepEqual(mapOpenaiFinishReason('stop'), { finishReason: 'stop' });
  assert.deepEqual(mapOpenaiFinishReason('length'), { finishReason: 'length' });
  assert.deepEqual(mapOpenaiFinishReason('tool_calls'), { finishReason: 'tool-calls' });
  assert.deepEqual(mapOpenaiFinishReason('content_filter'), { finishReason: 'content-filter' });
  assert.deepEqual(mapOpenaiFinishReason('function_call'), { finishReason: 'tool-calls', rawFinishReason: 'function_call' });
  assert.deepEqual(mapOpenaiFinishReason('eos'), { finishReason: 'other', rawFinishReason: 'eos' });
  assert.deepEqual(mapOpenaiFinishReason('toString'), { finishReason: 'other', rawFinishReason: 'toString' });
  assert.deepEqual(mapOpenaiFinishReason(null), { finishReason: 'other' });
});

test('maps canonical reasons back, preferring a raw word that still means the same', () => {
  assert.equal(toOpenaiFinishReason('tool-calls'), 'tool_calls');
  assert.equal(toOpenaiFinishReason('content-filter'), 'content_filter');
  assert.equal(toOpenaiFinishReason('other'), 'stop');
  assert.equal(toOpenaiFinishReason('tool-calls', 'function_call'), 'function_call');
  assert.equal(toOpenaiFinishReason('content-filter', 'stop'), 'content_filter');
  assert.equal(toOpenaiFinishReason('stop', 'end_turn'), 'stop');
});
