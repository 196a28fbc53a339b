import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encode } from 'gpt-tokenizer/encoding/cl100k_base';
import { GatewayError } from '../../core/errors/index.ts';
import type { EmbeddingRequest } from '../../core/model/index.ts';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { openaiEmbeddingsFormat } from './index.ts';

const { decodeRequest, encodeRequest, decodeResult, encodeResult } = openaiEmbeddingsFormat;

const floatVector = (): number[] => {
  const vector = decodeResult(readFixture('response-float.json')).embeddings[0];
  assert.ok(vector !== undefined);
  return vector;
};

describe('decodeRequest', () => {
  test('the API reference example', () => {
    assert.deepEqual(decodeRequest(readFixture('request-api-reference.json')), {
      model: 'text-embedding-ada-002',
      input: ['The food was delicious and the waiter...'],
      encodingFormat: 'float',
    } satisfies EmbeddingRequest);
  });

  test('every parameter of the generated client', () => {
    assert.deepEqual(decodeRequest(readFixture('request-all-params.json')), {
      model: 'text-embedding-3-small',
      input: ['The quick brown fox jumped over the lazy dog'],
      encodingFormat: 'float',
      dimensions: 1,
      user: 'user-1234',
    } satisfies EmbeddingRequest);
  });

  test('an array of strings, and base64 asked for', () => {
    const request = decodeRequest({ model: 'm', input: ['a', 'b'], encoding_format: 'base64' });
    assert.deepEqual(request.input, ['a', 'b']);
    assert.equal(request.encodingFormat, 'base64');
  });

  test('token arrays are read back to text with the embedding models\' vocabulary', () => {
    const single = decodeRequest({ model: 'text-embedding-3-small', input: encode('The quick brown fox') });
    assert.deepEqual(single.input, ['The quick brown fox']);
    const several = decodeRequest({ model: 'text-embedding-3-small', input: [encode('héllo wörld'), encode('second')] });
    assert.deepEqual(several.input, ['héllo wörld', 'second']);
  });

  const malformed: Array<[string, unknown, string]> = [
    ['no model', { input: 'x' }, 'model'],
    ['no input', { model: 'm' }, 'input'],
    ['an empty string', { model: 'm', input: '' }, 'input'],
    ['an empty array', { model: 'm', input: [] }, 'input'],
    ['a mixed array', { model: 'm', input: ['a', 1] }, 'input'],
    ['a negative token', { model: 'm', input: [1, -2] }, 'input[1]'],
    ['a token id outside the vocabulary', { model: 'm', input: [[1, 999_999_999]] }, 'input[0]'],
    ['too many inputs', { model: 'm', input: Array.from({ length: 2049 }, () => 'x') }, 'input'],
    ['zero dimensions', { model: 'm', input: 'x', dimensions: 0 }, 'dimensions'],
    ['an unknown encoding_format', { model: 'm', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
  ];
  for (const [name, body, param] of malformed) {
    test(`rejects ${name}`, () => {
      assert.throws(() => decodeRequest(body), (error: unknown) =>
        error instanceof GatewayError && error.code === 'invalid_request' && error.param === param);
    });
  }
});

describe('encodeRequest', () => {
  test('asks upstream for floats, under the upstream model name', () => {
    const request = decodeRequest({ model: 'embed-alias', input: ['a', 'b'], encoding_format: 'base64', dimensions: 256, user: 'u' });
    assert.deepEqual(encodeRequest(request, { model: 'text-embedding-3-large' }), {
      model: 'text-embedding-3-large', input: ['a', 'b'], encoding_format: 'float', dimensions: 256, user: 'u',
    });
  });
});

describe('decodeResult', () => {
  test('the recorded float answer', () => {
    const result = decodeResult(readFixture('response-float.json'));
    assert.equal(result.model, 'text-embedding-3-large');
    assert.deepEqual(result.usage, { inputTokens: 1 });
    assert.equal(result.embeddings.length, 1);
    assert.equal(result.embeddings[0]?.length, 256);
    assert.equal(result.embeddings[0]?.[0], -0.099287055);
  });

  test('the recorded base64 answer holds the same float32 values', () => {
    const fromBase64 = decodeResult(readFixture('response-base64.json')).embeddings[0];
    assert.deepEqual(fromBase64, floatVector().map(Math.fround));
  });

  test('puts vectors in input order whatever order they arrive in', () => {
    const body = { object: 'list', model: 'm', usage: { prompt_tokens: 2, total_tokens: 2 }, data: [
      { object: 'embedding', index: 1, embedding: [2] },
      { object: 'embedding', index: 0, embedding: [1] },
    ] };
    assert.deepEqual(decodeResult(body).embeddings, [[1], [2]]);
  });

  const malformed: Array<[string, unknown]> = [
    ['not an object', 'x'],
    ['no data', { model: 'm' }],
    ['a vector of strings', { data: [{ index: 0, embedding: ['a'] }] }],
    ['base64 of a partial float', { data: [{ index: 0, embedding: 'AAA=' }] }],
    ['text that is not base64', { data: [{ index: 0, embedding: 'not base64!' }] }],
  ];
  for (const [name, body] of malformed) {
    test(`rejects ${name}`, () => {
      assert.throws(() => decodeResult(body), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_invalid_response');
    });
  }
});

const request = (encodingFormat: 'float' | 'base64'): EmbeddingRequest => ({ model: 'text-embedding-3-large', input: ['h'], encodingFormat });

describe('encodeResult', () => {

  test('floats, in OpenAI\'s list shape', () => {
    const result = { model: 'text-embedding-3-large', embeddings: [[0.5, -1]], usage: { inputTokens: 3 } };
    assert.deepEqual(encodeResult(result, request('float')), {
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, -1] }],
      model: 'text-embedding-3-large',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  test('base64 is byte for byte what OpenAI sent for the same vector', () => {
    const result = decodeResult(readFixture('response-float.json'));
    assert.deepEqual(encodeResult(result, request('base64')), readFixture('response-base64.json'));
  });

  test('float → encode → decode gives the vectors back', () => {
    const result = decodeResult(readFixture('response-float.json'));
    assert.deepEqual(decodeResult(encodeResult(result, request('float'))), result);
  });
});
