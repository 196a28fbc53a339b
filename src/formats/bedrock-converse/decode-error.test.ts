import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, type ErrorCode } from '../../core/errors/index.ts';
import { bedrockConverseFormat } from './index.ts';
import { mapBedrockErrorType } from './map-bedrock-error-type.ts';
import { loadFixture } from './test-support.ts';

interface ErrorCase {
  status: number;
  headers: Record<string, string>;
  body: string;
  expected: ErrorCode;
}

test('classifies recorded Bedrock errors', () => {
  for (const errorCase of loadFixture<ErrorCase[]>('errors.json').payload) {
    const error = bedrockConverseFormat.decodeError(errorCase.status, errorCase.body, new Headers(errorCase.headers));
    assert.equal(error.code, errorCase.expected, errorCase.body);
    assert.equal(error.upstreamStatus, errorCase.status);
  }
});

test("passes the provider's message on, with its type", () => {
  const error = bedrockConverseFormat.decodeError(
    400,
    '{"message":"Input is too long for requested model."}',
    new Headers({ 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' }),
  );
  assert.equal(error.message, 'Bedrock ValidationException: Input is too long for requested model.');
  assert.equal(error.code, 'upstream_context_length_exceeded');
});

test('keeps the AWS account and principal out of authentication errors', () => {
  const [, , , , , , accessDenied] = loadFixture<ErrorCase[]>('errors.json').payload;
  assert.ok(accessDenied !== undefined);
  const error = bedrockConverseFormat.decodeError(accessDenied.status, accessDenied.body, new Headers(accessDenied.headers));
  assert.equal(error.code, 'upstream_authentication_failed');
  assert.doesNotMatch(error.message, /123456789012|arn:aws/);
  assert.match(error.message, /AccessDeniedException/);
});

test('reads the type from a namespaced __type and the wait from Retry-After', () => {
  const error = bedrockConverseFormat.decodeError(
    400,
    '{"__type":"com.amazonaws.bedrockruntime#ThrottlingException","Message":"Rate exceeded"}',
    new Headers({ 'retry-after': '3' }),
  );
  assert.equal(error.code, 'upstream_rate_limited');
  assert.equal(error.retryAfterSeconds, 3);
  assert.equal(error.message, 'Bedrock ThrottlingException: Rate exceeded');
});

test('falls back on the status for unknown types and non-JSON bodies', () => {
  assert.equal(bedrockConverseFormat.decodeError(502, '<html>bad gateway</html>', new Headers()).code, 'upstream_server_error');
  assert.equal(bedrockConverseFormat.decodeError(400, '{"message":"Malformed input request"}', new Headers()).code, 'upstream_bad_request');
  assert.equal(
    bedrockConverseFormat.decodeError(418, '{}', new Headers({ 'x-amzn-errortype': 'TeapotException' })).code,
    'upstream_bad_request',
  );
  assert.ok(bedrockConverseFormat.decodeError(500, '', new Headers()) instanceof GatewayError);
});

test('tells context length from other validation failures', () => {
  assert.equal(mapBedrockErrorType('validationException', 'prompt is too long: 215000 tokens > 200000 maximum'), 'upstream_context_length_exceeded');
  assert.equal(mapBedrockErrorType('ValidationException', 'The model returned the following errors: Input is too long for requested model.'), 'upstream_context_length_exceeded');
  assert.equal(mapBedrockErrorType('ValidationException', 'The maximum tokens you requested exceeds the model limit of 4096'), 'upstream_bad_request');
  assert.equal(mapBedrockErrorType('modelTimeoutException', 'slow'), 'upstream_timeout');
  assert.equal(mapBedrockErrorType('serviceUnavailableException', 'busy'), 'upstream_overloaded');
});
