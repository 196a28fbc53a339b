import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapGeminiFinishReason, toGeminiFinishReason } from './map-gemini-finish-reason.ts';

test('maps Gemini finish and block reasons to canonical ones', () => {
  assert.equal(mapGeminiFinishReason('STOP', false), 'stop');
  assert.equal(mapGeminiFinishReason('STOP', true), 'tool-calls');
  assert.equal(mapGeminiFinishReason('MAX_TOKENS', true), 'length');
  for (const reason of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) {
    assert.equal(mapGeminiFinishReason(reason, false), 'content-filter', reason);
  }
  for (const reason of ['OTHER', 'LANGUAGE', 'MALFORMED_FUNCTION_CALL', 'FINISH_REASON_UNSPECIFIED']) {
    assert.equal(mapGeminiFinishReason(reason, false), 'other', reason);
  }
});

test('maps canonical reasons back, keeping Gemini\'s own word where it still fits', () => {
  assert.equal(toGeminiFinishReason('content-filter', 'RECITATION', false), 'RECITATION');
  assert.equal(toGeminiFinishReason('content-filter', 'content_filter', false), 'SAFETY');
  assert.equal(toGeminiFinishReason('other', 'MALFORMED_FUNCTION_CALL', false), 'MALFORMED_FUNCTION_CALL');
  assert.equal(toGeminiFinishReason('stop', 'MAX_TOKENS', false), 'STOP');
  assert.equal(toGeminiFinishReason('tool-calls', undefined, true), 'STOP');
  assert.equal(toGeminiFinishReason('length', undefined, false), 'MAX_TOKENS');
  assert.equal(toGeminiFinishReason('error', undefined, false), 'OTHER');
});
