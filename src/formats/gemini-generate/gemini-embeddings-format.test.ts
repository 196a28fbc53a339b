import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import { isGatewayError } from '../../core/errors/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { geminiEmbeddingsFormat } from './gemini-embeddings-format.ts';

const texts = ['What is the meaning of life?', 'How much wood would a woodchuck chuck?', 'How does the brain work?'];

test('decodes the documented batchEmbedContents request', () => {
  assert.deepEqual(geminiEmbeddingsFormat.decodeRequest(loadFixture('embeddings-request').payload), {
    model: 'gemini-embedding-001',
    input: texts,
    dimensions: 768,
    encodingFormat: 'float',
  });
});

test('encodes a canonical request as one EmbedContentRequest per input, and back', () => {
  const request = { model: 'alias', input: ['a', 'b'], dimensions: 256, encodingFormat: 'base64' as const };
  const encoded = geminiEmbeddingsFormat.encodeRequest(request, { model: 'gemini-embedding-001' });
  assert.deepEqual(encoded, {
    requests: [
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, outputDimensionality: 256 },
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, outputDimensionality: 256 },
    ],
  });
  assert.deepEqual(geminiEmbeddingsFormat.decodeRequest(loadFixture('embeddings-request').payload), geminiEmbeddingsFormat.decodeRequest(
    geminiEmbeddingsFormat.encodeRequest(geminiEmbeddingsFormat.decodeRequest(loadFixture('embeddings-request').payload), { model: 'models/gemini-embedding-001' }),
  ));
});

test('decodes vectors in order and estimates the input tokens Gemini does not report', () => {
  const request = geminiEmbeddingsFormat.decodeRequest(loadFixture('embeddings-request').payload);
  const result = geminiEmbeddingsFormat.decodeResult(loadFixture('embeddings-response').payload, request);
  assert.equal(result.model, 'gemini-embedding-001');
  assert.deepEqual(result.embeddings[0], [0.013168523, -0.008711934, -0.046782676, 0.0006995056, -0.024563482]);
  assert.equal(result.embeddings.length, 3);
  const expected = texts.reduce((sum, text) => sum + countTokens(text), 0);
  assert.ok(expected > 0);
  assert.deepEqual(result.usage, { inputTokens: expected });
  assert.deepEqual(geminiEmbeddingsFormat.decodeResult(loadFixture('embeddings-response').payload).usage, { inputTokens: 0 });
  assert.deepEqual(geminiEmbeddingsFormat.encodeResult(result, request), loadFixture('embeddings-response').payload);
});

test('takes the model from the URL when the requests leave it out', () => {
  const body = { requests: [{ content: { parts: [{ text: 'x' }] } }] };
  assert.equal(geminiEmbeddingsFormat.decodeRequest(body, { model: 'text-embedding-004' }).model, 'text-embedding-004');
});

const rejectsRequest = (body: unknown, param: string | undefined) =>
  assert.throws(() => geminiEmbeddingsFormat.decodeRequest(body), (error: unknown) => isGatewayError(error) && error.code === 'invalid_request' && error.param === param);

const rejectsAnswer = (body: unknown) =>
  assert.throws(() => geminiEmbeddingsFormat.decodeResult(body), (error: unknown) => isGatewayError(error) && error.code === 'upstream_invalid_response');

test('rejects malformed embedding requests and answers', () => {
  rejectsRequest({ requests: [] }, 'requests');
  rejectsRequest({ requests: [{ content: { parts: [{ text: 'x' }] } }] }, 'requests[0].model');
  rejectsRequest({ requests: [{ model: 'models/a', content: { parts: [{ text: 'x' }] } }, { model: 'models/b', content: { parts: [{ text: 'y' }] } }] }, 'requests[1].model');
  rejectsRequest({ requests: [{ model: 'models/a', content: { parts: [{ text: 1 }] } }] }, 'requests[0].content.parts[0].text');
  rejectsRequest({ requests: [{ model: 'models/a', content: { parts: [{ text: 'x' }] }, outputDimensionality: 0 }] }, 'requests[0].outputDimensionality');
  rejectsAnswer({});
  rejectsAnswer({ embeddings: [{ values: ['0.1'] }] });
  rejectsAnswer('not json');
});
