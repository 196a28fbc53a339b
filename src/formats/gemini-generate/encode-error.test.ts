import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import { encodeError } from './encode-error.ts';

test('writes google.rpc.Status with the status name of the HTTP status', () => {
  assert.deepEqual(encodeError(new GatewayError('upstream_rate_limited', 'Provider rate limit', { retryAfterSeconds: 1.5 })), {
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'Provider rate limit',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'upstream_rate_limited', domain: 'bulwark' },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' },
        ],
      },
    },
    headers: { 'retry-after': '2' },
  });
});

test('names the field at fault for invalid requests', () => {
  const encoded = encodeError(new GatewayError('invalid_request', 'contents[0].role: Invalid option', { param: 'contents[0].role' }));
  assert.equal(encoded.status, 400);
  assert.equal(encoded.headers, undefined);
  assert.deepEqual(encoded.body['error'], {
    code: 400,
    message: 'contents[0].role: Invalid option',
    status: 'INVALID_ARGUMENT',
    details: [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'invalid_request', domain: 'bulwark' },
      { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'contents[0].role', description: 'contents[0].role: Invalid option' }] },
    ],
  });
});

const statusName = (code: ConstructorParameters<typeof GatewayError>[0]) =>
  (encodeError(new GatewayError(code, 'x')).body['error'] as { status: string }).status;

test('maps each status to its Google status name', () => {
  assert.equal(statusName('invalid_api_key'), 'UNAUTHENTICATED');
  assert.equal(statusName('model_not_allowed'), 'PERMISSION_DENIED');
  assert.equal(statusName('model_not_found'), 'NOT_FOUND');
  assert.equal(statusName('upstream_overloaded'), 'UNAVAILABLE');
  assert.equal(statusName('upstream_server_error'), 'UNAVAILABLE');
  assert.equal(statusName('upstream_timeout'), 'DEADLINE_EXCEEDED');
  assert.equal(statusName('internal_error'), 'INTERNAL');
  assert.equal(statusName('client_closed_request'), 'CANCELLED');
  assert.equal(statusName('payload_too_large'), 'INVALID_ARGUMENT');
});
