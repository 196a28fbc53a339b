import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError, errorCatalog, type ErrorCode } from '../../core/errors/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeAnthropicError } from './decode-error.ts';
import { encodeAnthropicError } from './encode-error.ts';

const body = (type: string, message = 'x'): string => JSON.stringify({ type: 'error', error: { type, message } });

const decodeFixture = (name: string, status: number, headers: Record<string, string> = {}): GatewayError =>
  decodeAnthropicError(status, JSON.stringify(loadFixture(name).payload), new Headers(headers));

describe('decodeAnthropicError', () => {
  test('recorded error bodies map to catalog codes by their error type', () => {
    const cases: Array<[string, number, ErrorCode]> = [
      ['error-not-found', 404, 'upstream_not_found'],
      ['error-prompt-too-long', 400, 'upstream_context_length_exceeded'],
      ['error-overloaded', 529, 'upstream_overloaded'],
      ['error-rate-limit', 429, 'upstream_rate_limited'],
      ['error-credit-balance', 400, 'upstream_authentication_failed'],
    ];
    for (const [name, status, code] of cases) {
      const error = decodeFixture(name, status);
      assert.equal(error.code, code, name);
      assert.equal(error.upstreamStatus, status, name);
    }
  });

  test("the provider's message is passed on with its error type and request id", () => {
    assert.equal(
      decodeFixture('error-prompt-too-long', 400).message,
      'Anthropic invalid_request_error: prompt is too long: 200251 tokens > 200000 maximum (request_id req_011CWdepJvA2D819tdYYq4h7)',
    );
    assert.equal(decodeFixture('error-overloaded', 529, { 'request-id': 'req_018EeWyXxfu5pfWkrYcMdjWG' }).message, 'Anthropic overloaded_error: Overloaded (request_id req_018EeWyXxfu5pfWkrYcMdjWG)');
    assert.equal(decodeFixture('error-overloaded', 529).message, 'Anthropic overloaded_error: Overloaded');
  });

  test('Retry-After is kept for the retry layer', () => {
    assert.equal(decodeFixture('error-rate-limit', 429, { 'retry-after': '30' }).retryAfterSeconds, 30);
    assert.equal(decodeFixture('error-overloaded', 529).retryAfterSeconds, undefined);
  });

  test('the error type wins over the status; unknown types fall back to the status', () => {
    assert.equal(decodeAnthropicError(400, body('invalid_request_error', 'messages: field required'), new Headers()).code, 'upstream_bad_request');
    assert.equal(decodeAnthropicError(401, body('authentication_error', 'invalid x-api-key'), new Headers()).code, 'upstream_authentication_failed');
    assert.equal(decodeAnthropicError(403, body('permission_error'), new Headers()).code, 'upstream_authentication_failed');
    assert.equal(decodeAnthropicError(402, body('billing_error'), new Headers()).code, 'upstream_authentication_failed');
    assert.equal(decodeAnthropicError(413, body('request_too_large'), new Headers()).code, 'upstream_bad_request');
    assert.equal(decodeAnthropicError(500, body('api_error'), new Headers()).code, 'upstream_server_error');
    assert.equal(decodeAnthropicError(504, body('timeout_error'), new Headers()).code, 'upstream_timeout');
    assert.equal(decodeAnthropicError(200, body('overloaded_error'), new Headers()).code, 'upstream_overloaded');
    assert.equal(decodeAnthropicError(503, body('brand_new_error'), new Headers()).code, 'upstream_overloaded');
    assert.equal(decodeAnthropicError(409, body('conflict_error'), new Headers()).code, 'upstream_bad_request');
  });

  test('bodies that are not Anthropic errors are classified by status alone', () => {
    const html = decodeAnthropicError(502, '<html><body>Bad gateway</body></html>', new Headers({ 'retry-after': '2' }));
    assert.equal(html.code, 'upstream_server_error');
    assert.equal(html.message, 'Anthropic answered HTTP 502 without an error body');
    assert.equal(html.retryAfterSeconds, 2);
    assert.equal(decodeAnthropicError(429, '', new Headers()).code, 'upstream_rate_limited');
    assert.equal(decodeAnthropicError(400, '{"error":"nope"}', new Headers()).code, 'upstream_bad_request');
  });

  test('a very long provider message is cut short', () => {
    assert.ok(decodeAnthropicError(500, body('api_error', 'x'.repeat(5000)), new Headers()).message.length < 600);
  });
});

describe('encodeAnthropicError', () => {
  test("every catalog code is sent with its status and Anthropic error type", () => {
    for (const code of Object.keys(errorCatalog) as ErrorCode[]) {
      const encoded = encodeAnthropicError(new GatewayError(code, `about ${code}`));
      assert.equal(encoded.status, errorCatalog[code].status, code);
      assert.deepEqual(encoded.body, { type: 'error', error: { type: errorCatalog[code].anthropicType, message: `about ${code}` } }, code);
      assert.equal(encoded.headers, undefined, code);
    }
  });

  test('Retry-After is sent in whole seconds', () => {
    const encoded = encodeAnthropicError(new GatewayError('upstream_rate_limited', 'Slow down', { retryAfterSeconds: 1.2 }));
    assert.deepEqual(encoded.headers, { 'retry-after': '2' });
  });

  test('an error decoded from Anthropic is sent back to an Anthropic client with the same type', () => {
    for (const [name, status] of [['error-overloaded', 529], ['error-rate-limit', 429], ['error-prompt-too-long', 400]] as const) {
      const payload = loadFixture(name).payload as { error: { type: string } };
      const encoded = encodeAnthropicError(decodeFixture(name, status));
      assert.equal(encoded.status, status, name);
      assert.equal((encoded.body.error as { type: string }).type, payload.error.type, name);
    }
  });
});
