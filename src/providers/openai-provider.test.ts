import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { providerConfigSchema } from './provider-config-schema.ts';
import { createOpenaiProvider, type OpenaiProviderConfig } from './openai-provider.ts';
import type { Provider } from './provider.ts';
import { embeddingCall, modelCall } from './testing/canonical-calls.ts';
import { collectEvents } from './testing/collect-events.ts';
import { expectGatewayError } from './testing/expect-gateway-error.ts';
import { readFormatFixture, readStreamFixture } from './testing/read-format-fixture.ts';
import { replyJson, startRecordingServer, type RecordingServer } from './testing/start-recording-server.ts';

const apiKey = 'sk-proj-test-0123456789abcdef';

const openaiConfig = (input: Record<string, unknown>): OpenaiProviderConfig => {
  const config = providerConfigSchema.parse(input);
  assert.ok(config.type === 'openai' || config.type === 'openai-compatible');
  return config;
};

describe('createOpenaiProvider', { timeout: 20_000 }, () => {
  let server: RecordingServer;
  let provider: Provider;

  before(async () => {
    server = await startRecordingServer();
    provider = createOpenaiProvider(
      'openai',
      openaiConfig({ type: 'openai', apiKey, organization: 'org-123', project: 'proj_456', baseUrl: `${server.origin}/v1` }),
    );
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  it('calls /chat/completions with the bearer key, organisation and project', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('openai-chat', 'response-default')));
    const result = await provider.complete(modelCall('gpt-4.1-mini'));
    const recorded = await server.nextRequest();
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.url, '/v1/chat/completions');
    assert.equal(recorded.headers['authorization'], `Bearer ${apiKey}`);
    assert.equal(recorded.headers['openai-organization'], 'org-123');
    assert.equal(recorded.headers['openai-project'], 'proj_456');
    const body = JSON.parse(recorded.body) as Record<string, unknown>;
    assert.equal(body['model'], 'gpt-4.1-mini');
    assert.notEqual(body['stream'], true);
    assert.equal(result.model, 'gpt-5.6-sol');
    assert.deepEqual(result.content, [{ type: 'text', text: 'Hello! How can I assist you today?' }]);
  });

  it('streams with stream_options.include_usage so usage is counted', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(readStreamFixture('openai-chat', 'stream-text-include-usage'));
    });
    const events = await collectEvents(await provider.stream(modelCall('gpt-4.1-nano')));
    const recorded = await server.nextRequest();
    const body = JSON.parse(recorded.body) as Record<string, unknown>;
    assert.equal(body['stream'], true);
    assert.deepEqual(body['stream_options'], { include_usage: true });
    assert.equal(recorded.headers['accept'], 'text/event-stream');
    assert.equal(events[0]?.type, 'stream-start');
    assert.ok(events.some((event) => event.type === 'text-delta'));
    const finishIndex = events.findIndex((event) => event.type === 'finish');
    assert.ok(finishIndex > 0);
    assert.ok(events.slice(finishIndex + 1).every((event) => event.type === 'usage'));
    assert.ok(events.some((event) => event.type === 'usage' && event.usage.inputTokens > 0));
  });

  it('throws an error sent in the stream before any content, so the call can fall back', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(readStreamFixture('openai-chat', 'stream-error'));
    });
    const error = await expectGatewayError(provider.stream(modelCall('gpt-4.1-nano')), [apiKey]);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_server_error');
    assert.ok(error.spec.fallback);
  });

  it('calls /embeddings', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('openai-embeddings', 'response-float')));
    const result = await provider.embed(embeddingCall('text-embedding-3-large'));
    const recorded = await server.nextRequest();
    assert.equal(recorded.url, '/v1/embeddings');
    assert.equal(recorded.headers['authorization'], `Bearer ${apiKey}`);
    const body = JSON.parse(recorded.body) as Record<string, unknown>;
    assert.equal(body['model'], 'text-embedding-3-large');
    assert.equal(result.embeddings.length, 1);
  });

  it('classifies a 429 with its Retry-After', async () => {
    server.handle((_request, response) =>
      replyJson(response, 429, readFormatFixture('openai-chat', 'error-rate-limit'), { 'retry-after': '12' }),
    );
    const error = await expectGatewayError(provider.complete(modelCall('gpt-4o')), [apiKey]);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_rate_limited');
    assert.equal(error.retryAfterSeconds, 12);
    assert.equal(error.upstreamStatus, 429);
  });

  it('never quotes its key from an error body', async () => {
    server.handle((recorded, response) =>
      replyJson(response, 401, {
        error: { message: `Incorrect API key provided: ${String(recorded.headers['authorization']).slice(7)}`, type: 'invalid_request_error', code: 'invalid_api_key' },
      }),
    );
    const error = await expectGatewayError(provider.complete(modelCall('gpt-4o')), [apiKey]);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_authentication_failed');
  });

  it('refuses calls without a key, naming the config field, and sends nothing', async () => {
    const unconfigured = createOpenaiProvider('openai-main', openaiConfig({ type: 'openai', baseUrl: server.origin }));
    const requestsBefore = server.requests.length;
    try {
      const attempts = [
        () => unconfigured.complete(modelCall('gpt-4o')),
        () => unconfigured.stream(modelCall('gpt-4o')),
        () => unconfigured.embed(embeddingCall('text-embedding-3-small')),
      ];
      for (const attempt of attempts) {
        const error = await expectGatewayError(attempt());
        assert.equal(error.code, 'upstream_authentication_failed');
        assert.match(error.message, /providers\.openai-main\.apiKey/);
      }
      assert.equal(server.requests.length, requestsBefore);
    } finally {
      await unconfigured.close();
    }
  });

  it('calls an openai-compatible server without a key and without authorization', async () => {
    const local = createOpenaiProvider('ollama', openaiConfig({ type: 'openai-compatible', baseUrl: `${server.origin}/ollama/v1/` }));
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('openai-chat', 'response-default')));
    try {
      await local.complete(modelCall('llama3.2'));
      const recorded = await server.nextRequest();
      assert.equal(recorded.url, '/ollama/v1/chat/completions');
      assert.equal(recorded.headers['authorization'], undefined);
      assert.equal(recorded.headers['openai-organization'], undefined);
    } finally {
      await local.close();
    }
  });

  it("sends the config's extra headers", async () => {
    const routed = createOpenaiProvider(
      'openrouter',
      openaiConfig({ type: 'openai-compatible', apiKey, baseUrl: server.origin, headers: { 'HTTP-Referer': 'https://bulwark.example' } }),
    );
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('openai-chat', 'response-default')));
    try {
      await routed.complete(modelCall('openai/gpt-4o'));
      const recorded = await server.nextRequest();
      assert.equal(recorded.headers['http-referer'], 'https://bulwark.example');
      assert.equal(recorded.headers['authorization'], `Bearer ${apiKey}`);
    } finally {
      await routed.close();
    }
  });
});
