import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { classifyOpenaiError, decodeError, redactSecrets } from './decode-error.ts';

const fixtureText = (name: string): string => JSON.stringify(readFixture(name));

describe('decodeError on recorded error bodies', () => {
  test('context_length_exceeded', () => {
    const error = decodeError(400, fixtureText('error-context-length.json'), new Headers());
    assert.equal(error.code, 'upstream_context_length_exceeded');
    assert.equal(error.upstreamStatus, 400);
    assert.equal(error.param, 'messages');
    assert.match(error.message, /maximum context length is 4097 tokens/);
    assert.equal(error.spec.fallback, true);
  });

  test('an invalid upstream key: classified as Bulwark\'s configuration fault, the key redacted', () => {
    const error = decodeError(401, fixtureText('error-invalid-api-key.json'), new Headers());
    assert.equal(error.code, 'upstream_authentication_failed');
    assert.equal(error.message.includes('sk-PMafP'), false);
    assert.equal(error.message.includes('E873'), false);
    assert.match(error.message, /Incorrect API key provided: \[redacted\]/);
  });

  test('a rate limit, with Retry-After from retry-after-ms', () => {
    const error = decodeError(429, fixtureText('error-rate-limit.json'), new Headers({ 'retry-after-ms': '2500' }));
    assert.equal(error.code, 'upstream_rate_limited');
    assert.equal(error.retryAfterSeconds, 2.5);
    assert.equal(error.spec.retryable, true);
  });

  test('Azure\'s content filter, with a null type', () => {
    const error = decodeError(400, fixtureText('error-content-filter.json'), new Headers());
    assert.equal(error.code, 'upstream_content_filtered');
    assert.equal(error.param, 'prompt');
  });

  test('an unsupported parameter is the provider refusing the request', () => {
    const error = decodeError(400, fixtureText('error-unsupported-parameter.json'), new Headers());
    assert.equal(error.code, 'upstream_bad_request');
    assert.equal(error.param, 'max_tokens');
  });
});

describe('decodeError on what else providers send', () => {
  test('a body that is not JSON falls back to the status, without echoing the body', () => {
    const error = decodeError(502, '<html><body>Bad gateway sk-secret-value</body></html>', new Headers());
    assert.equal(error.code, 'upstream_server_error');
    assert.equal(error.message, 'The provider answered with HTTP 502');
  });

  test('an exhausted quota does not look retryable', () => {
    const body = JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
    const error = decodeError(429, body, new Headers());
    assert.equal(error.code, 'upstream_authentication_failed');
    assert.equal(error.spec.retryable, false);
  });

  test('Gemini\'s OpenAI endpoint wraps the error in an array; vLLM puts it at the top level', () => {
    const gemini = JSON.stringify([{ error: { code: 400, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' } }]);
    assert.equal(decodeError(400, gemini, new Headers()).message, 'Request contains an invalid argument.');
    const vllm = JSON.stringify({ object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', param: null, code: 400 });
    assert.equal(decodeError(400, vllm, new Headers()).code, 'upstream_context_length_exceeded');
  });

  test('statuses without a telling body', () => {
    assert.equal(decodeError(503, '{}', new Headers()).code, 'upstream_overloaded');
    assert.equal(decodeError(404, '{"error":{"message":"The model `gpt-9` does not exist","code":"model_not_found"}}', new Headers()).code, 'upstream_not_found');
  });
});

describe('classifyOpenaiError in a stream, where there is no status', () => {
  test('by type and code', () => {
    assert.equal(classifyOpenaiError(undefined, { type: 'server_error' }), 'upstream_server_error');
    assert.equal(classifyOpenaiError(undefined, { type: 'tokens', code: 'rate_limit_exceeded' }), 'upstream_rate_limited');
    assert.equal(classifyOpenaiError(undefined, { type: 'invalid_request_error' }), 'upstream_bad_request');
    assert.equal(classifyOpenaiError(undefined, { code: 'context_length_exceeded' }), 'upstream_context_length_exceeded');
  });
});

test('redactSecrets removes key-shaped words and bounds the length', () => {
  assert.equal(redactSecrets('bad key sk-proj-abc123XYZ given'), 'bad key [redacted] given');
  assert.equal(redactSecrets('x'.repeat(5000)).length, 1001);
});
