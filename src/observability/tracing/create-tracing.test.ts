import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { parseConfig } from '../../config/load-config.ts';
import { createEventSink, type EventSink } from '../../core/telemetry/event-sink.ts';
import type { RequestCompletedEvent } from '../../core/telemetry/gateway-event.ts';
import { createTracing } from './create-tracing.ts';

const completed = (requestId: string): RequestCompletedEvent => ({
  type: 'request-completed', requestId, startedAt: Date.now(), endpoint: '/v1/chat/completions', clientFormat: 'openai-chat', modelRequested: 'gpt',
  stream: false, status: 200, usage: { inputTokens: 3, outputTokens: 5 }, costUsd: 0, latencyMs: 1, attempts: 1, attemptFailures: [],
});

/** Runs one request with one attempt through the events; returns the headers the attempt would send upstream. */
const runRequest = (events: EventSink, requestId: string, attemptId: number, traceparent?: string): Record<string, string> => {
  events.publish({ type: 'request-started', requestId, startedAt: Date.now(), endpoint: '/v1/chat/completions', ...(traceparent === undefined ? {} : { traceparent }) });
  const headers: Record<string, string> = {};
  events.publish({ type: 'attempt-started', requestId, attemptId, provider: 'p', providerType: 'openai', model: 'gpt-4o', stream: false, headers });
  events.publish({ type: 'attempt-ended', requestId, attemptId, outcome: 'answered', usage: { inputTokens: 3, outputTokens: 5 } });
  events.publish(completed(requestId));
  return headers;
};

test('with a sample ratio of 0 nothing is exported, yet the trace context still goes upstream, marked unsampled', async () => {
  const events = createEventSink();
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing(events, { serviceName: 't', sampleRatio: 0, exporter });
  const headers = runRequest(events, 'r1', 1);
  await tracing.flush();
  assert.deepEqual(exporter.getFinishedSpans(), []);
  assert.match(headers.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  await tracing.close();
});

test("a caller's unsampled traceparent is followed even at a sample ratio of 1", async () => {
  const events = createEventSink();
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing(events, { serviceName: 't', sampleRatio: 1, exporter });
  const headers = runRequest(events, 'r1', 1, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
  await tracing.flush();
  assert.deepEqual(exporter.getFinishedSpans(), []);
  assert.match(headers.traceparent ?? '', /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-00$/);
  await tracing.close();
});

test('a second request reusing the id of one in flight is not traced, and events of unknown requests are ignored', async () => {
  const events = createEventSink();
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing(events, { serviceName: 't', sampleRatio: 1, exporter });
  events.publish({ type: 'request-started', requestId: 'same', startedAt: Date.now(), endpoint: '/v1/chat/completions' });
  events.publish({ type: 'request-started', requestId: 'same', startedAt: Date.now(), endpoint: '/v1/chat/completions' });
  events.publish({ type: 'attempt-ended', requestId: 'unknown', attemptId: 9, outcome: 'failed', errorCode: 'upstream_timeout' });
  events.publish(completed('unknown'));
  events.publish(completed('same'));
  events.publish(completed('same'));
  await tracing.flush();
  assert.deepEqual(exporter.getFinishedSpans().map((span) => span.name), ['chat gpt']);
  await tracing.close();
});

test('close ends the spans still open and stops listening', async () => {
  const events = createEventSink();
  const ended: string[] = [];
  const exporter = new InMemorySpanExporter();
  const original = exporter.export.bind(exporter);
  exporter.export = (spans, callback) => {
    ended.push(...spans.map((span) => span.name));
    original(spans, callback);
  };
  const tracing = createTracing(events, { serviceName: 't', sampleRatio: 1, exporter });
  events.publish({ type: 'request-started', requestId: 'open', startedAt: Date.now(), endpoint: '/v1/chat/completions' });
  events.publish({ type: 'attempt-started', requestId: 'open', attemptId: 1, provider: 'p', providerType: 'anthropic', model: 'claude', stream: true, headers: {} });
  events.publish({ type: 'attempt-ended', requestId: 'open', attemptId: 1, outcome: 'streaming' });
  await tracing.close();
  assert.deepEqual(ended.toSorted(), ['chat', 'chat claude']);
  assert.equal(events.hasSubscribers('request-started'), false);
});

test('the tracing config is off by default and rejects a bad endpoint or sample ratio', () => {
  const base = 'providers: {}\nmodels: {}\n';
  const defaults = parseConfig(base, 'a.yaml', {}).tracing;
  assert.deepEqual(defaults, { enabled: false, serviceName: 'bulwark', sampleRatio: 1, otlp: { endpoint: 'http://localhost:4318/v1/traces', headers: {} } });
  assert.throws(() => parseConfig(`${base}tracing: { enabled: true, otlp: { endpoint: "collector:4318" } }`, 'b.yaml', {}));
  assert.throws(() => parseConfig(`${base}tracing: { otlp: { endpoint: "ftp://collector/v1/traces" } }`, 'c.yaml', {}));
  assert.throws(() => parseConfig(`${base}tracing: { sampleRatio: 1.5 }`, 'd.yaml', {}));
  assert.throws(() => parseConfig(`${base}tracing: { exporter: zipkin }`, 'e.yaml', {}));
});
