import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import { decodeError } from './decode-error.ts';
import { encodeError } from './encode-error.ts';

test('encodes OpenAI\'s error JSON with the catalog status and type', () => {
  const encoded = encodeError(new GatewayError('invalid_request', 'messages[0].role: expected a role', { param: 'messages[0].role' }));
  assert.deepEqual(encoded, {
    status: 400,
    body: { error: { message: 'messages[0].role: expected a role', type: 'invalid_request_error', param: 'messages[0].role', code: 'invalid_request' } },
  });
});

test('sends Retry-After in whole seconds', () => {
  const encoded = encodeError(new GatewayError('upstream_rate_limited', 'Slow down', { retryAfterSeconds: 2.5 }));
  assert.equal(encoded.status, 429);
  assert.deepEqual(encoded.headers, { 'retry-after': '3' });
  assert.deepEqual(encoded.body, { error: { message: 'Slow down', type: 'rate_limit_error', param: null, code: 'upstream_rate_limited' } });
});

test('what Bulwark encodes, a Bulwark in front of it decodes to the same kind of failure', () => {
  const original = new GatewayError('upstream_rate_limited', 'Rate limit reached for gpt-4o', { retryAfterSeconds: 3, param: 'model' });
  const encoded = encodeError(original);
  const decoded = decodeError(encoded.status, JSON.stringify(encoded.body), new Headers(encoded.headers));
  assert.equal(decoded.code, 'upstream_rate_limited');
  assert.equal(decoded.message, original.message);
  assert.equal(decoded.retryAfterSeconds, 3);
  assert.equal(decoded.param, 'model');
});
