import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestCompletedEvent } from '../core/telemetry/gateway-event.ts';
import { toRequestRecord } from './request-recorder.ts';

const event = (overrides: Partial<RequestCompletedEvent> = {}): RequestCompletedEvent => ({
  type: 'request-completed', requestId: 'req_1', startedAt: 1_700_000_000_000, endpoint: '/v1/chat/completions', clientFormat: 'openai-chat',
  modelRequested: 'gpt', stream: false, status: 200, finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2 }, costUsd: 0,
  latencyMs: 12, attempts: 1, attemptFailures: [], ...overrides,
});

test('the record carries the quality signals and the score computed from them', () => {
  const record = toRequestRecord(event({ quality: { validation: 'reasked', flags: ['injection-suspected'] } }));
  assert.deepEqual(record.qualitySignals, { validation: 'reasked', flags: ['injection-suspected'] });
  assert.equal(record.qualityScore, 0.25);
});

test('an answered request without signals scores 1 and records no signals', () => {
  const record = toRequestRecord(event());
  assert.equal(record.qualityScore, 1);
  assert.equal('qualitySignals' in record, false);
});

test('a request that says nothing about quality has neither score nor signals; empty signals are dropped', () => {
  const record = toRequestRecord(event({ status: 429, errorCode: 'key_rate_limited', finishReason: undefined, quality: { flags: [] } }));
  assert.equal('qualityScore' in record, false);
  assert.equal('qualitySignals' in record, false);
});

test('the record holds its own copy of the flags', () => {
  const flags = ['degraded'];
  const record = toRequestRecord(event({ quality: { flags } }));
  flags.push('later');
  assert.deepEqual(record.qualitySignals, { flags: ['degraded'] });
  assert.equal(record.qualityScore, 0);
});
