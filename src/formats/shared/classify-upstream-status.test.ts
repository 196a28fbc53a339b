import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyUpstreamStatus, parseJsonLoosely, parseRetryAfter } from './classify-upstream-status.ts';

test('maps provider statuses to catalog codes', () => {
  assert.equal(classifyUpstreamStatus(429), 'upstream_rate_limited');
  assert.equal(classifyUpstreamStatus(529), 'upstream_overloaded');
  assert.equal(classifyUpstreamStatus(500), 'upstream_server_error');
  assert.equal(classifyUpstreamStatus(401), 'upstream_authentication_failed');
  assert.equal(classifyUpstreamStatus(422), 'upstream_bad_request');
});

test('reads Retry-After as seconds, HTTP date or retry-after-ms', () => {
  assert.equal(parseRetryAfter(new Headers({ 'retry-after': '7' })), 7);
  assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' })), 1.5);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now), 30);
  assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' })), undefined);
  assert.equal(parseRetryAfter(new Headers()), undefined);
});

test('parses JSON loosely', () => {
  assert.deepEqual(parseJsonLoosely('{"a":1}'), { a: 1 });
  assert.equal(parseJsonLoosely('<html>'), undefined);
});
