import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, type ErrorCode } from '../../core/errors/index.ts';
import { bedrockConverseFormat } from './index.ts';

const encoded = (code: ErrorCode, message = 'Something happened') => bedrockConverseFormat.encodeError(new GatewayError(code, message));

test('writes the message body and the x-amzn-errortype header', () => {
  assert.deepEqual(encoded('upstream_rate_limited', 'Slow down'), {
    status: 429,
    body: { message: 'Slow down' },
    headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
  });
});

const type = (code: ErrorCode): string | undefined => encoded(code).headers?.['x-amzn-errortype']?.split(':')[0];

test('picks the Bedrock type a Bedrock SDK maps to the right exception', () => {
  assert.equal(type('invalid_request'), 'ValidationException');
  assert.equal(type('upstream_context_length_exceeded'), 'ValidationException');
  assert.equal(type('invalid_api_key'), 'AccessDeniedException');
  assert.equal(type('model_not_found'), 'ResourceNotFoundException');
  assert.equal(type('upstream_overloaded'), 'ServiceUnavailableException');
  assert.equal(type('upstream_timeout'), 'ModelTimeoutException');
  assert.equal(type('upstream_authentication_failed'), 'InternalServerException');
  assert.equal(type('internal_error'), 'InternalServerException');
});

test('decodes its own encoding back to the same code where Bedrock has one', () => {
  for (const code of ['upstream_rate_limited', 'upstream_overloaded', 'upstream_timeout', 'upstream_bad_request', 'upstream_server_error'] as const) {
    const error = encoded(code, 'Input was fine');
    const decoded = bedrockConverseFormat.decodeError(error.status, JSON.stringify(error.body), new Headers(error.headers));
    assert.equal(decoded.code, code);
  }
});
