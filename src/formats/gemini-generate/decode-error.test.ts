import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeError } from './decode-error.ts';
import { encodeError } from './encode-error.ts';

const decodeFixture = (name: string, status: number, headers = new Headers()) =>
  decodeError(status, JSON.stringify(loadFixture(name).payload), headers);

test('classifies recorded Gemini errors', () => {
  const rateLimited = decodeFixture('error-rate-limited', 429);
  assert.equal(rateLimited.code, 'upstream_rate_limited');
  assert.equal(rateLimited.retryAfterSeconds, 26);
  assert.equal(rateLimited.upstreamStatus, 429);
  assert.match(rateLimited.message, /^You exceeded your current quota/);

  const badKey = decodeFixture('error-api-key-invalid', 400);
  assert.equal(badKey.code, 'upstream_authentication_failed');
  assert.equal(badKey.message, 'API key not valid. Please pass a valid API key.');

  assert.equal(decodeFixture('error-context-length', 400).code, 'upstream_context_length_exceeded');
  assert.equal(decodeFixture('error-overloaded', 503).code, 'upstream_overloaded');
  assert.equal(decodeFixture('error-field-violation', 400).code, 'upstream_bad_request');
});

const classify = (status: number, name: string, message = 'm') =>
  decodeError(status, JSON.stringify({ error: { code: status, message, status: name } }), new Headers()).code;

test('refines the HTTP status with Google\'s status name', () => {
  assert.equal(classify(403, 'PERMISSION_DENIED'), 'upstream_authentication_failed');
  assert.equal(classify(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'), 'upstream_authentication_failed');
  assert.equal(classify(404, 'NOT_FOUND'), 'upstream_not_found');
  assert.equal(classify(500, 'INTERNAL'), 'upstream_server_error');
  assert.equal(classify(504, 'DEADLINE_EXCEEDED'), 'upstream_timeout');
  assert.equal(classify(499, 'CANCELLED'), 'upstream_bad_request');
  assert.equal(classify(502, 'SOMETHING_NEW'), 'upstream_server_error');
});

const body = (details: object[]) => JSON.stringify({ error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED', details } });

test('takes the retry delay from RetryInfo first, then from Retry-After', () => {
  const retryInfo = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '57.238747106s' }];
  assert.equal(decodeError(429, body(retryInfo), new Headers({ 'retry-after': '5' })).retryAfterSeconds, 57.238747106);
  assert.equal(decodeError(429, body([]), new Headers({ 'retry-after': '5' })).retryAfterSeconds, 5);
  assert.equal(decodeError(429, body([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon' }]), new Headers()).retryAfterSeconds, undefined);
});

test('handles bodies that are not Gemini error JSON without passing them on', () => {
  const html = decodeError(502, '<html><body>Bad Gateway</body></html>', new Headers({ 'retry-after': '3' }));
  assert.equal(html.code, 'upstream_server_error');
  assert.equal(html.message, 'The provider answered HTTP 502');
  assert.equal(html.retryAfterSeconds, 3);
  assert.equal(decodeError(429, '', new Headers()).code, 'upstream_rate_limited');
  assert.equal(decodeError(400, '{"error": "a string"}', new Headers()).code, 'upstream_bad_request');
  // Gemini's alt=json streams wrap the error in an array.
  assert.equal(decodeError(503, '[{"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}]', new Headers()).code, 'upstream_overloaded');
});

test('never repeats an API key an error message echoes', () => {
  const error = decodeError(
    400,
    JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Bad key AIzaSyD-1234567890abcdefghijklmnopqrstu in https://x.test/v1beta/models?key=secret123&alt=sse' } }),
    new Headers(),
  );
  assert.doesNotMatch(error.message, /AIzaSyD|secret123/);
  assert.match(error.message, /\[redacted\]/);
});

test('a Gemini-format error from Bulwark decodes back to its code', () => {
  for (const error of [
    new GatewayError('upstream_rate_limited', 'Provider rate limit', { retryAfterSeconds: 12 }),
    new GatewayError('invalid_request', 'contents: required', { param: 'contents' }),
    new GatewayError('all_targets_failed', 'Every target failed'),
    new GatewayError('upstream_stream_interrupted', 'cut'),
  ]) {
    const encoded = encodeError(error);
    const decoded = decodeError(encoded.status, JSON.stringify(encoded.body), new Headers(encoded.headers));
    assert.equal(decoded.code, error.code);
    assert.equal(decoded.message, error.message);
    assert.equal(decoded.retryAfterSeconds, error.retryAfterSeconds);
  }
});
