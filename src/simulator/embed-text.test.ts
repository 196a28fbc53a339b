import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosineSimilarity, embedText } from './embed-text.ts';

test('vectors are unit length with the requested dimensions', () => {
  for (const [text, dimensions] of [['hello world', 1536], ['', 8], ['ünïcödé 東京 text', 256]] as const) {
    const vector = embedText(text, dimensions);
    assert.equal(vector.length, dimensions);
    assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-9);
  }
});

test('the same text always gives the same vector', () => {
  assert.deepEqual(embedText('The cat sat on the mat'), embedText('The cat sat on the mat'));
});

test('similar texts are closer than unrelated ones', () => {
  const query = embedText('How do I reset my account password?');
  const similar = embedText('Steps to reset the password of my account');
  const unrelated = embedText('Quarterly revenue grew in the northern sales region');
  assert.ok(cosineSimilarity(query, similar) > cosineSimilarity(query, unrelated) + 0.2);
  assert.ok(cosineSimilarity(query, query) > 0.999);
});
