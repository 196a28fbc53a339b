import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEventSink } from '../../core/telemetry/event-sink.ts';
import type { RequestCompletedEvent } from '../../core/telemetry/gateway-event.ts';
import { createMetrics } from './create-metrics.ts';

const completed = (overrides: Partial<RequestCompletedEvent> = {}): RequestCompletedEvent => ({
  type: 'request-completed',
  requestId: 'r1',
  startedAt: 0,
  endpoint: '/v1/chat/completions',
  clientFormat: 'openai-chat',
  modelRequested: 'chat',
  provider: 'openai',
  upstreamModel: 'gpt-4o-mini',
  stream: false,
  status: 200,
  usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 },
  costUsd: 0.5,
  latencyMs: 1500,
  attempts: 1,
  attemptFailures: [],
  ...overrides,
});

const setUp = (perKeyLabels = false) => {
  const errors: unknown[] = [];
  const events = createEventSink((error) => errors.push(error));
  const metrics = createMetrics(events, { perKeyLabels, maxKeyLabels: 1, isConfiguredModel: (alias) => alias === 'chat', defaultMetrics: false });
  return { events, metrics, errors };
};

test('a completed request feeds the counters and histograms', async () => {
  const { events, metrics } = setUp();
  events.publish(completed({ endUser: 'alice@example.com' }));
  const text = await metrics.render();
  assert.match(text, /bulwark_requests_total\{endpoint="\/v1\/chat\/completions",model="chat",provider="openai",status="200",stream="false"\} 1/);
  assert.match(text, /bulwark_tokens_total\{model="chat",provider="openai",type="cached_input"\} 4/);
  assert.match(text, /bulwark_tokens_total\{model="chat",provider="openai",type="reasoning"\} 2/);
  assert.match(text, /bulwark_cost_usd_total\{model="chat",provider="openai"\} 0.5/);
  assert.match(text, /bulwark_request_duration_seconds_bucket\{le="1",model="chat",provider="openai",stream="false"\} 0/);
  assert.match(text, /bulwark_request_duration_seconds_bucket\{le="2",model="chat",provider="openai",stream="false"\} 1/);
  assert.doesNotMatch(text, /alice/);
});

test('a fallback is a different deployment, even at the same provider; a retry at the same one is not', async () => {
  const { events, metrics } = setUp();
  const failure = { provider: 'openai', model: 'gpt-4o', code: 'upstream_server_error' as const, message: 'boom' };
  events.publish(completed({ attemptFailures: [failure] }));
  events.publish(completed({ attemptFailures: [{ ...failure, model: 'gpt-4o-mini' }] }));
  const text = await metrics.render();
  assert.match(text, /bulwark_fallbacks_total\{model="chat",provider="openai"\} 1\n/);
  assert.match(text, /bulwark_attempt_failures_total\{provider="openai",code="upstream_server_error"\} 2/);
});

test('labels stay bounded: unknown models, foreign error codes and keys past the cap', async () => {
  const { events, metrics } = setUp(true);
  events.publish(completed({ modelRequested: 'x'.repeat(50), provider: undefined, status: 404, errorCode: 'model_not_found', keyId: 'k1' }));
  events.publish(completed({ errorCode: 'some_relayed_code', status: 500, keyId: 'k2' }));
  const text = await metrics.render();
  assert.doesNotMatch(text, /xxxx/);
  assert.match(text, /model="unknown",provider="none",status="404",stream="false",key="k1"/);
  assert.match(text, /key="other"/);
  assert.doesNotMatch(text, /k2/);
  assert.match(text, /bulwark_errors_total\{model="chat",provider="openai",code="other"\} 1/);
});

test('breaker, queue and retry events; after close nothing more is counted', async () => {
  const { events, metrics, errors } = setUp();
  events.publish({ type: 'circuit-state-changed', deployment: 'openai/gpt-4o', from: 'closed', to: 'open' });
  events.publish({ type: 'circuit-state-changed', deployment: 'openai/gpt-4o', from: 'open', to: 'half-open' });
  events.publish({ type: 'call-queued', deployment: 'openai/gpt-4o', depth: 2 });
  events.publish({ type: 'call-dequeued', deployment: 'openai/gpt-4o', depth: 1, waitMs: 30, outcome: 'expired' });
  events.publish({ type: 'attempt-retried', requestId: 'r', provider: 'openai', model: 'gpt-4o', code: 'upstream_timeout', delayMs: 100 });
  let text = await metrics.render();
  assert.match(text, /bulwark_circuit_breaker_state\{deployment="openai\/gpt-4o"\} 1/);
  assert.match(text, /bulwark_queue_depth\{deployment="openai\/gpt-4o"\} 1/);
  assert.match(text, /bulwark_queue_wait_seconds_bucket\{le="0.05",deployment="openai\/gpt-4o",outcome="expired"\} 1/);
  assert.match(text, /bulwark_retries_total\{provider="openai",code="upstream_timeout"\} 1/);
  metrics.close();
  events.publish({ type: 'attempt-retried', requestId: 'r', provider: 'openai', model: 'gpt-4o', code: 'upstream_timeout', delayMs: 100 });
  text = await metrics.render();
  assert.match(text, /bulwark_retries_total\{provider="openai",code="upstream_timeout"\} 1/);
  assert.deepEqual(errors, []);
});

test('two instances keep separate registries', async () => {
  const first = setUp();
  const second = setUp();
  first.events.publish(completed());
  assert.match(await first.metrics.render(), /bulwark_requests_total\{[^}]*\} 1/);
  assert.doesNotMatch(await second.metrics.render(), /bulwark_requests_total\{/);
});

test('docs/metrics.md lists every bulwark_ series with its type, and no series that does not exist', async () => {
  const { readFileSync } = await import('node:fs');
  const documented = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
  const exported = [...(await setUp().metrics.render()).matchAll(/^# TYPE (bulwark_\w+) (\w+)$/gm)].map((match) => `| \`${match[1]}\` | ${match[2]} |`);
  const rows = [...documented.matchAll(/^\| `(bulwark_\w+)` \| (\w+) \|/gm)].map((match) => `| \`${match[1]}\` | ${match[2]} |`);
  assert.equal(exported.length, 14);
  assert.deepEqual(rows.toSorted(), exported.toSorted());
});
