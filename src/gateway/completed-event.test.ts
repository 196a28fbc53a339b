import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCompletedEvent, type ContextFacts } from './completed-event.ts';

const facts = (overrides: Partial<ContextFacts> = {}): ContextFacts => ({
  requestId: 'req_1', startedAt: 1, startedAtMonotonic: performance.now(), endpoint: '/v1/chat/completions', clientFormat: 'openai-chat',
  attempts: 1, attemptFailures: [], ...overrides,
});
const request = { model: 'gpt', stream: false };
const completion = { status: 200, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'stop' };

test('the stages\' quality signals travel on the completed event', () => {
  const event = buildCompletedEvent(facts({ quality: { validation: 'passed' } }), request, completion);
  assert.deepEqual(event.quality, { validation: 'passed' });
  assert.equal('quality' in buildCompletedEvent(facts(), request, completion), false);
});

test('a degraded answer is flagged degraded, once, beside the other signals', () => {
  const degraded = buildCompletedEvent(facts({ degraded: { reason: 'upstream_timeout' }, quality: { validation: 'failed', flags: ['injection-suspected'] } }), request, completion);
  assert.deepEqual(degraded.quality, { validation: 'failed', flags: ['injection-suspected', 'degraded'] });
  const already = buildCompletedEvent(facts({ degraded: { reason: 'upstream_timeout' }, quality: { flags: ['degraded'] } }), request, completion);
  assert.deepEqual(already.quality, { flags: ['degraded'] });
  assert.deepEqual(buildCompletedEvent(facts({ degraded: { reason: 'circuit_open' } }), request, completion).quality, { flags: ['degraded'] });
});
