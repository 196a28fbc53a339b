import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyCircuitOutcome } from './classify-circuit-outcome.ts';

test("the deployment's own faults are failures", () => {
  for (const code of ['upstream_server_error', 'upstream_overloaded', 'upstream_timeout', 'upstream_connection_failed', 'upstream_invalid_response', 'upstream_stream_interrupted', 'upstream_authentication_failed', 'upstream_not_found']) {
    assert.equal(classifyCircuitOutcome(code, false), 'failure', code);
  }
});

test('answers to a bad request show the deployment is up: successes', () => {
  for (const code of ['upstream_bad_request', 'upstream_context_length_exceeded', 'upstream_content_filtered']) assert.equal(classifyCircuitOutcome(code, false), 'success', code);
});

test('rate limits are ignored unless counted', () => {
  assert.equal(classifyCircuitOutcome('upstream_rate_limited', false), 'ignored');
  assert.equal(classifyCircuitOutcome('upstream_rate_limited', true), 'failure');
});

test("what says nothing about the deployment is ignored; an unknown code from a stream's error event is a failure", () => {
  for (const code of ['client_closed_request', 'internal_error', 'unsupported_capability', 'circuit_open', 'invalid_request']) assert.equal(classifyCircuitOutcome(code, true), 'ignored', code);
  assert.equal(classifyCircuitOutcome('overloaded_error', false), 'failure');
  assert.equal(classifyCircuitOutcome('', false), 'failure');
});
