import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { z } from 'zod';
import { startBulwark, type RunningBulwark } from '../../app/start-bulwark.ts';
import { parseConfig } from '../../config/load-config.ts';
import { startSimulator } from '../../simulator/start-simulator.ts';
import { createLogger } from '../create-logger.ts';
import { stackConfigYaml } from '../../../test/support/start-stack.ts';

/** The part of an OTLP/HTTP JSON export request the test reads (opentelemetry-proto, ExportTraceServiceRequest). */
const otlpBodySchema = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: z.array(z.object({ key: z.string(), value: z.object({ stringValue: z.string().optional() }) })) }),
      scopeSpans: z.array(z.object({ spans: z.array(z.object({ name: z.string() })) })),
    }),
  ),
});

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** A pass-through proxy in front of the simulator that keeps the headers Bulwark sent upstream. */
const startCapturingProxy = async (targetUrl: string): Promise<{ url: string; received: IncomingHttpHeaders[]; server: Server }> => {
  const received: IncomingHttpHeaders[] = [];
  const server = createServer((incoming, outgoing) => {
    received.push(incoming.headers);
    const upstream = request(new URL(incoming.url ?? '/', targetUrl), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(upstream);
  });
  return { url: await listen(server), received, server };
};

interface TracedStack {
  bulwark: RunningBulwark;
  simulator: Awaited<ReturnType<typeof startSimulator>>;
  exporter: InMemorySpanExporter;
  received: IncomingHttpHeaders[];
  client: OpenAI;
  /** Resolves once the gateway has recorded the next `count` requests (a stream is recorded after its last event). */
  recorded(count?: number): Promise<void>;
  close(): Promise<void>;
}

const startTracedStack = async (tracingYaml: string): Promise<TracedStack> => {
  const directory = mkdtempSync(join(tmpdir(), 'bulwark-tracing-'));
  const simulator = await startSimulator({});
  const proxy = await startCapturingProxy(simulator.url);
  const config = parseConfig(stackConfigYaml(proxy.url, join(directory, 'bulwark.db'), '', tracingYaml), 'tracing.yaml', {});
  const exporter = new InMemorySpanExporter();
  const bulwark = await startBulwark({ config, logger: createLogger('silent'), port: 0, spanExporter: exporter });
  const { secret } = await bulwark.keys.create({ name: 'tracing', models: ['*'] });
  return {
    bulwark,
    simulator,
    exporter,
    received: proxy.received,
    client: new OpenAI({ apiKey: secret, baseURL: `${bulwark.url}/v1`, maxRetries: 0 }),
    recorded: (count = 1) =>
      new Promise((resolve) => {
        let left = count;
        const stop = bulwark.gateway.events.subscribe('request-completed', () => {
          left -= 1;
          if (left === 0) {
            stop();
            resolve();
          }
        });
      }),
    async close() {
      await bulwark.close();
      await simulator.close();
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy.server.close(resolve));
      rmSync(directory, { recursive: true, force: true });
    },
  };
};

const spansOf = async (stack: TracedStack, requestSpan: (span: ReadableSpan) => boolean): Promise<{ root: ReadableSpan; attempts: ReadableSpan[] }> => {
  await stack.bulwark.flushTraces();
  const spans = stack.exporter.getFinishedSpans();
  const root = spans.find((span) => span.kind === SpanKind.SERVER && requestSpan(span));
  assert.ok(root, `no request span among ${spans.map((span) => span.name).join(', ')}`);
  const attempts = spans.filter((span) => span.parentSpanContext?.spanId === root.spanContext().spanId);
  return { root, attempts };
};

const byRequestId = (requestId: string | null) => (span: ReadableSpan) => span.attributes['bulwark.request_id'] === requestId;

describe('tracing enabled', () => {
  let stack: TracedStack;
  before(async () => {
    stack = await startTracedStack('tracing: { enabled: true, serviceName: bulwark-test }');
  });
  after(() => stack.close());

  test('a request span continues the caller trace, an attempt span is its child, and the attempt context goes upstream', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const upstreamBefore = stack.received.length;
    const { data, response } = await stack.client.chat.completions
      .create({ model: 'gpt', messages: [{ role: 'user', content: 'Say hello' }] }, { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } })
      .withResponse();
    const { root, attempts } = await spansOf(stack, byRequestId(response.headers.get('x-request-id')));

    assert.equal(root.name, 'chat gpt');
    assert.equal(root.spanContext().traceId, traceId);
    assert.equal(root.parentSpanContext?.spanId, callerSpanId);
    assert.equal(root.resource.attributes['service.name'], 'bulwark-test');
    assert.equal(root.attributes['gen_ai.operation.name'], 'chat');
    assert.equal(root.attributes['gen_ai.request.model'], 'gpt');
    assert.equal(root.attributes['gen_ai.response.model'], 'gpt-4o-mini');
    assert.equal(root.attributes['gen_ai.usage.input_tokens'], data.usage?.prompt_tokens);
    assert.equal(root.attributes['gen_ai.usage.output_tokens'], data.usage?.completion_tokens);
    assert.deepEqual(root.attributes['gen_ai.response.finish_reasons'], ['stop']);
    assert.equal(root.attributes['bulwark.quality.score'], 1, 'a complete, valid answer');
    assert.equal(root.attributes['bulwark.quality.validation'], 'passed');
    assert.equal(root.attributes['bulwark.attempts'], 1);
    assert.equal(typeof root.attributes['bulwark.key_id'], 'string');
    assert.equal(root.status.code, SpanStatusCode.UNSET);

    assert.equal(attempts.length, 1);
    const [attempt] = attempts;
    assert.ok(attempt);
    assert.equal(attempt.name, 'chat gpt-4o-mini');
    assert.equal(attempt.kind, SpanKind.CLIENT);
    assert.equal(attempt.spanContext().traceId, traceId);
    assert.equal(attempt.attributes['gen_ai.provider.name'], 'openai_compatible');
    assert.equal(attempt.attributes['gen_ai.request.model'], 'gpt-4o-mini');
    assert.equal(attempt.attributes['gen_ai.response.id'], data.id);
    assert.equal(attempt.attributes['gen_ai.usage.input_tokens'], data.usage?.prompt_tokens);
    assert.equal(attempt.attributes['gen_ai.usage.output_tokens'], data.usage?.completion_tokens);
    assert.equal(attempt.attributes['bulwark.attempt.outcome'], 'answered');

    const upstream = stack.received.slice(upstreamBefore);
    assert.equal(upstream.length, 1);
    assert.equal(upstream[0]?.traceparent, `00-${traceId}-${attempt.spanContext().spanId}-01`);
  });

  test('without a traceparent, or with a malformed one, the request starts a new trace', async () => {
    const { response } = await stack.client.chat.completions
      .create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }, { headers: { traceparent: '00-not-a-trace-01' } })
      .withResponse();
    const { root } = await spansOf(stack, byRequestId(response.headers.get('x-request-id')));
    assert.equal(root.parentSpanContext, undefined);
    assert.match(root.spanContext().traceId, /^[0-9a-f]{32}$/);
    assert.notEqual(root.spanContext().traceId, '00000000000000000000000000000000');
  });

  test('a streamed request: the attempt span lasts until the stream ends and carries the usage of its last chunk', async () => {
    const recorded = stack.recorded();
    const stream = await stack.client.chat.completions.create({ model: 'claude', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Tell me a story' }] });
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) usage = chunk.usage ?? usage;
    await recorded;
    assert.ok(usage);
    const { root, attempts } = await spansOf(stack, (span) => span.name === 'chat claude');
    assert.equal(root.attributes['bulwark.stream'], true);
    assert.equal(root.attributes['gen_ai.usage.output_tokens'], usage.completion_tokens);
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0]?.attributes['gen_ai.provider.name'], 'anthropic');
    assert.equal(attempts[0]?.attributes['bulwark.attempt.outcome'], 'streaming');
    assert.equal(attempts[0]?.attributes['gen_ai.usage.input_tokens'], usage.prompt_tokens);
    assert.equal(attempts[0]?.attributes['gen_ai.usage.output_tokens'], usage.completion_tokens);
  });

  test('a failed attempt is an error span, the fallback that answered is not', async () => {
    stack.simulator.faults.set([{ fault: 'server-error', model: 'broken-model' }]);
    try {
      const { response } = await stack.client.chat.completions.create({ model: 'fallback-gpt', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      const { root, attempts } = await spansOf(stack, byRequestId(response.headers.get('x-request-id')));
      const failed = attempts.filter((span) => span.attributes['gen_ai.request.model'] === 'broken-model');
      const answered = attempts.filter((span) => span.attributes['gen_ai.request.model'] === 'claude-haiku-4-5');
      assert.ok(failed.length >= 1);
      for (const span of failed) {
        assert.equal(span.status.code, SpanStatusCode.ERROR);
        assert.equal(span.attributes['error.type'], 'upstream_server_error');
        assert.equal(span.attributes['bulwark.upstream_status'], 500);
      }
      assert.equal(answered.length, 1);
      assert.equal(answered[0]?.status.code, SpanStatusCode.UNSET);
      assert.equal(root.status.code, SpanStatusCode.UNSET);
      assert.equal(root.attributes['bulwark.attempts'], failed.length + 1);
      assert.equal(root.attributes['bulwark.provider'], 'sim-anthropic');
    } finally {
      stack.simulator.faults.clear();
    }
  });

  test('a request that fails is an error span with the error code as error.type', async () => {
    const failure = await stack.client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    assert.ok(failure instanceof OpenAI.NotFoundError);
    const { root, attempts } = await spansOf(stack, byRequestId(failure.headers?.get('x-request-id') ?? null));
    assert.equal(root.name, 'chat no-such-model');
    assert.equal(root.status.code, SpanStatusCode.ERROR);
    assert.equal(root.attributes['error.type'], 'model_not_found');
    assert.equal(root.attributes['http.response.status_code'], 404);
    assert.equal(attempts.length, 0);
  });
});

describe('tracing disabled (the default)', () => {
  let stack: TracedStack;
  before(async () => {
    stack = await startTracedStack('');
  });
  after(() => stack.close());

  test('nothing listens for trace events, no span is made and no traceparent goes upstream', async () => {
    assert.equal(stack.bulwark.gateway.config().tracing.enabled, false);
    await stack.client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }, { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    assert.equal(stack.bulwark.gateway.events.hasSubscribers('request-started'), false);
    assert.equal(stack.bulwark.gateway.events.hasSubscribers('attempt-started'), false);
    assert.equal(stack.bulwark.gateway.events.hasSubscribers('attempt-ended'), false);
    await stack.bulwark.flushTraces();
    assert.deepEqual(stack.exporter.getFinishedSpans(), []);
    assert.ok(stack.received.length > 0);
    for (const headers of stack.received) assert.equal(headers.traceparent, undefined);
  });
});

describe('OTLP export', () => {
  test('spans are posted as OTLP/HTTP JSON to the configured endpoint, with the configured headers', async () => {
    const arrived = Promise.withResolvers<{ url: string | undefined; headers: IncomingHttpHeaders; body: Buffer }>();
    const collector = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        outgoing.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        arrived.resolve({ url: incoming.url, headers: incoming.headers, body: Buffer.concat(chunks) });
      });
    });
    const collectorUrl = await listen(collector);
    const directory = mkdtempSync(join(tmpdir(), 'bulwark-otlp-'));
    const simulator = await startSimulator({});
    const tracingYaml = `tracing: { enabled: true, serviceName: otlp-test, otlp: { endpoint: "${collectorUrl}/v1/traces", headers: { x-collector-key: secret-123 } } }`;
    const config = parseConfig(stackConfigYaml(simulator.url, join(directory, 'bulwark.db'), '', tracingYaml), 'otlp.yaml', {});
    const bulwark = await startBulwark({ config, logger: createLogger('silent'), port: 0 });
    try {
      const { secret } = await bulwark.keys.create({ name: 'otlp', models: ['*'] });
      const client = new OpenAI({ apiKey: secret, baseURL: `${bulwark.url}/v1`, maxRetries: 0 });
      await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
      await bulwark.flushTraces();
      const received = await arrived.promise;
      assert.equal(received.url, '/v1/traces');
      assert.equal(received.headers['content-type'], 'application/json');
      assert.equal(received.headers['x-collector-key'], 'secret-123');
      const body = otlpBodySchema.parse(JSON.parse(received.body.toString('utf8')));
      const resourceSpans = body.resourceSpans[0];
      assert.ok(resourceSpans);
      assert.ok(resourceSpans.resource.attributes.some((attribute) => attribute.key === 'service.name' && attribute.value.stringValue === 'otlp-test'));
      const names = resourceSpans.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name));
      assert.deepEqual(names.toSorted(), ['chat gpt', 'chat gpt-4o-mini']);
    } finally {
      await bulwark.close();
      await simulator.close();
      collector.closeAllConnections();
      await new Promise((resolve) => collector.close(resolve));
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
