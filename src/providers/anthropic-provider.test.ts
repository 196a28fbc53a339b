import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { providerConfigSchema } from './provider-config-schema.ts';
import { createAnthropicProvider, type AnthropicProviderConfig } from './anthropic-provider.ts';
import type { Provider } from './provider.ts';
import { embeddingCall, helloRequest, modelCall } from './testing/canonical-calls.ts';
import { collectEvents } from './testing/collect-events.ts';
import { expectGatewayError } from './testing/expect-gateway-error.ts';
import { readFormatFixture, readStreamFixture } from './testing/read-format-fixture.ts';
import { replyJson, startRecordingServer, type RecordingServer } from './testing/start-recording-server.ts';

const apiKey = 'sk-ant-api03-test-0123456789abcdef';

const anthropicConfig = (input: Record<string, unknown>): AnthropicProviderConfig => {
  const config = providerConfigSchema.parse({ type: 'anthropic', ...input });
  assert.ok(config.type === 'anthropic');
  return config;
};

describe('createAnthropicProvider', { timeout: 20_000 }, () => {
  let server: RecordingServer;
  let provider: Provider;

  before(async () => {
    server = await startRecordingServer();
    provider = createAnthropicProvider('anthropic', anthropicConfig({ apiKey, baseUrl: server.origin }));
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  it('calls /v1/messages with x-api-key and anthropic-version', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('anthropic-messages', 'result-text')));
    const result = await provider.complete(modelCall('claude-sonnet-4-5'));
    const recorded = await server.nextRequest();
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.url, '/v1/messages');
    assert.equal(recorded.headers['x-api-key'], apiKey);
    assert.equal(recorded.headers['anthropic-version'], '2023-06-01');
    assert.equal(recorded.headers['authorization'], undefined);
    assert.equal(recorded.headers['anthropic-beta'], undefined);
    const body = JSON.parse(recorded.body) as Record<string, unknown>;
    assert.equal(body['model'], 'claude-sonnet-4-5');
    assert.equal(body['max_tokens'], 64);
    assert.deepEqual(result.content, [{ type: 'text', text: 'Hi! My name is Claude.' }]);
  });

  it('sends structured output in its GA spelling, which needs no beta header', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('anthropic-messages', 'result-text')));
    const request = { ...helloRequest, responseFormat: { type: 'json-schema' as const, name: 'reply', schema: { type: 'object' } } };
    await provider.complete(modelCall('claude-sonnet-4-5', { request }));
    const recorded = await server.nextRequest();
    const body = JSON.parse(recorded.body) as Record<string, unknown>;
    assert.ok(body['output_config'] !== undefined && body['output_format'] === undefined);
    assert.equal(recorded.headers['anthropic-beta'], undefined);
  });

  it('streams the Messages events to the end', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(readStreamFixture('anthropic-messages', 'stream-basic'));
    });
    const events = await collectEvents(await provider.stream(modelCall('claude-3-5-sonnet')));
    const recorded = await server.nextRequest();
    assert.equal((JSON.parse(recorded.body) as Record<string, unknown>)['stream'], true);
    assert.equal(recorded.headers['accept'], 'text/event-stream');
    assert.equal(events[0]?.type, 'stream-start');
    assert.ok(events.some((event) => event.type === 'text-delta' && event.text === 'Hello'));
    assert.ok(events.some((event) => event.type === 'finish'));
  });

  it('delivers an overloaded error after content as the last event', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(readStreamFixture('anthropic-messages', 'stream-error'));
    });
    const events = await collectEvents(await provider.stream(modelCall('claude-3-5-sonnet')));
    await server.nextRequest();
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(last.type === 'error' ? last.code : undefined, 'upstream_overloaded');
  });

  it('throws an overloaded error that arrives before any content', async () => {
    const stream = readStreamFixture('anthropic-messages', 'stream-error');
    // The same recording, cut to message_start and the error: nothing visible reached the caller.
    const errorOnly = stream
      .split('\n\n')
      .filter((event) => event.startsWith('event: message_start') || event.startsWith('event: error'))
      .join('\n\n');
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`${errorOnly}\n\n`);
    });
    const error = await expectGatewayError(provider.stream(modelCall('claude-3-5-sonnet')), [apiKey]);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_overloaded');
  });

  it('classifies a 529', async () => {
    server.handle((_request, response) => replyJson(response, 529, readFormatFixture('anthropic-messages', 'error-overloaded')));
    const error = await expectGatewayError(provider.complete(modelCall('claude-sonnet-4-5')), [apiKey]);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_overloaded');
    assert.equal(error.upstreamStatus, 529);
  });

  it('has no embeddings API', async () => {
    const requestsBefore = server.requests.length;
    const error = await expectGatewayError(provider.embed(embeddingCall('voyage-3')));
    assert.equal(error.code, 'unsupported_capability');
    assert.equal(server.requests.length, requestsBefore);
  });

  it('refuses calls without a key', async () => {
    const unconfigured = createAnthropicProvider('claude', anthropicConfig({ baseUrl: server.origin }));
    try {
      const error = await expectGatewayError(unconfigured.complete(modelCall('claude-sonnet-4-5')));
      assert.equal(error.code, 'upstream_authentication_failed');
      assert.match(error.message, /providers\.claude\.apiKey/);
    } finally {
      await unconfigured.close();
    }
  });
});
