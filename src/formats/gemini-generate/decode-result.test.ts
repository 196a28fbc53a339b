import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../../core/errors/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeResult } from './decode-result.ts';

const decodeFixture = (name: string) => decodeResult(loadFixture(name).payload);

const rejectsUpstream = (body: unknown): void => {
  assert.throws(() => decodeResult(body), (error: unknown) => isGatewayError(error) && error.code === 'upstream_invalid_response');
};

test('decodes thoughts as reasoning and counts thought tokens as output', () => {
  const result = decodeFixture('response-thinking');
  assert.equal(result.id, 'lghYaaSmK7eomtkP_KDT6A0');
  assert.equal(result.model, 'gemini-2.5-flash');
  assert.equal(result.content.length, 2);
  assert.equal(result.content[0]?.type, 'reasoning');
  assert.ok(result.content[0]?.type === 'reasoning' && result.content[0].text.startsWith('**Calculating the Simple**'));
  assert.deepEqual(result.content[1], { type: 'text', text: '2 + 2 = 4' });
  assert.equal(result.finishReason, 'stop');
  assert.equal(result.rawFinishReason, 'STOP');
  assert.deepEqual(result.usage, { inputTokens: 8, outputTokens: 24, reasoningTokens: 16 });
});

test('keeps a text part\'s thought signature as an empty reasoning part before it', () => {
  const result = decodeFixture('response-text-with-signature');
  assert.equal(result.content.length, 2);
  assert.equal(result.content[0]?.type, 'reasoning');
  assert.ok(result.content[0]?.type === 'reasoning' && result.content[0].text === '' && result.content[0].signature?.startsWith('Cr0FAb4+9vvZ'));
  assert.equal(result.content[1]?.type, 'text');
  assert.deepEqual(result.usage, { inputTokens: 57, outputTokens: 173, reasoningTokens: 141 });
});

test('decodes parallel function calls with stable made-up ids and a tool-calls finish', () => {
  const result = decodeFixture('response-function-calls');
  const calls = result.content.filter((part) => part.type === 'tool-call');
  assert.deepEqual(calls.map(({ name, arguments: text }) => ({ name, text })), [
    { name: 'print', text: '{"text":"Hello World","color":"red"}' },
    { name: 'beep', text: '{}' },
  ]);
  assert.equal(new Set(calls.map((call) => call.id)).size, 2);
  assert.equal(result.finishReason, 'tool-calls');
  assert.equal(result.rawFinishReason, 'STOP');
  assert.equal(result.model, '');
  assert.match(result.id, /^gemini-/);
  assert.deepEqual(result.usage, { inputTokens: 8, outputTokens: 1 });
});

test('reads Vertex\'s createTime and its usage with image and thought tokens', () => {
  const result = decodeFixture('response-image-understanding-vertex');
  assert.equal(result.created, Math.floor(Date.parse('2025-11-29T15:41:23.445792Z') / 1000));
  assert.deepEqual(result.usage, { inputTokens: 1294, outputTokens: 1196, reasoningTokens: 1071 });
  assert.equal(result.finishReason, 'stop');
});

test('maps blocked and truncated answers', () => {
  const safety = decodeFixture('response-safety-blocked');
  assert.deepEqual([safety.content, safety.finishReason, safety.rawFinishReason], [[], 'content-filter', 'SAFETY']);
  assert.deepEqual(safety.usage, { inputTokens: 14, outputTokens: 0 });

  const prompt = decodeFixture('response-prompt-blocked');
  assert.deepEqual([prompt.content, prompt.finishReason, prompt.rawFinishReason], [[], 'content-filter', 'MODEL_ARMOR']);
  assert.deepEqual(prompt.usage, { inputTokens: 0, outputTokens: 0 });

  const truncated = decodeFixture('response-max-tokens-no-parts');
  assert.deepEqual([truncated.content, truncated.finishReason, truncated.rawFinishReason], [[], 'length', 'MAX_TOKENS']);
  assert.deepEqual(truncated.usage, { inputTokens: 15, outputTokens: 2, reasoningTokens: 2 });
});

test('treats a complete answer without a finishReason as stopped', () => {
  const result = decodeFixture('response-no-finish-reason');
  assert.deepEqual(result.content, [{ type: 'text', text: 'Hello there! How can I help you today?\n' }]);
  assert.equal(result.finishReason, 'stop');
  assert.equal(result.rawFinishReason, undefined);
});

test('counts cached and tool-use prompt tokens as input', () => {
  const result = decodeResult({
    candidates: [{ content: { parts: [{ text: 'ok' }], role: 'model' }, finishReason: 'STOP' }],
    usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 60, toolUsePromptTokenCount: 20, candidatesTokenCount: 5, totalTokenCount: 125 },
  });
  assert.deepEqual(result.usage, { inputTokens: 120, outputTokens: 5, cachedInputTokens: 60 });
});

test('skips parts an answer cannot hold and keeps the rest', () => {
  const result = decodeResult({
    candidates: [{ content: { parts: [{ executableCode: { language: 'PYTHON', code: 'print(1)' } }, { text: 'Result: 1' }] }, finishReason: 'STOP' }],
  });
  assert.deepEqual(result.content, [{ type: 'text', text: 'Result: 1' }]);
});

test('reports an error object in a 200 body as that error', () => {
  assert.throws(
    () => decodeResult({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }),
    (error: unknown) => isGatewayError(error) && error.code === 'upstream_overloaded',
  );
});

test('rejects malformed answers as upstream_invalid_response', () => {
  rejectsUpstream('<html>Bad gateway</html>');
  rejectsUpstream(null);
  rejectsUpstream({ candidates: 'none' });
  rejectsUpstream({ candidates: [{ content: { parts: [{ text: 42 }] } }] });
  rejectsUpstream({ candidates: [{ content: { parts: [{ functionCall: { args: {} } }] } }] });
  rejectsUpstream({ usageMetadata: { promptTokenCount: -1 } });
  rejectsUpstream({ modelVersion: 'gemini-2.5-flash' });
});
