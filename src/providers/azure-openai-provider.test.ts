import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { providerConfigSchema } from './provider-config-schema.ts';
import { createAzureOpenaiProvider, type AzureOpenaiProviderConfig } from './azure-openai-provider.ts';
import type { Provider } from './provider.ts';
import { embeddingCall, modelCall } from './testing/canonical-calls.ts';
import { collectEvents } from './testing/collect-events.ts';
import { expectGatewayError } from './testing/expect-gateway-error.ts';
import { readFormatFixture, readStreamFixture } from './testing/read-format-fixture.ts';
import { replyJson, startRecordingServer, type RecordingServer } from './testing/start-recording-server.ts';

const apiKey = 'azure-key-0123456789abcdef0123';

const azureConfig = (input: Record<string, unknown>): AzureOpenaiProviderConfig => {
  const config = providerConfigSchema.parse({ type: 'azure-openai', ...input });
  assert.ok(config.type === 'azure-openai');
  return config;
};

describe('createAzureOpenaiProvider', { timeout: 20_000 }, () => {
  let server: RecordingServer;
  let provider: Provider;

  before(async () => {
    server = await startRecordingServer();
    provider = createAzureOpenaiProvider('azure', azureConfig({ apiKey, baseUrl: server.origin }));
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  it('calls the deployment URL with the API version and the api-key header', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('openai-chat', 'response-default')));
    const result = await provider.complete(modelCall('gpt-4o prod'));
    const recorded = await server.nextRequest();
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.url, '/openai/deployments/gpt-4o%20prod/chat/completions?api-version=2024-10-21');
    assert.equal(recorded.headers['api-key'], apiKey);
    assert.equal(recorded.headers['authorization'], undefined);
    assert.equal(result.finishReason, 'stop');
  });

  it('streams from the same URL, asking for usage', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(readStreamFixture('openai-chat', 'stream-text-include-usage'));
    });
    const events = await collectEvents(await provider.stream(modelCall('chat')));
    const recorded = await server.nextRequest();
    assert.equal(recorded.url, '/openai/deployments/chat/chat/completions?api-version=2024-10-21');
    const body = JSON.parse(recorded.body) as Record<string, unknown>;
    assert.equal(body['stream'], true);
    assert.deepEqual(body['stream_options'], { include_usage: true });
    assert.equal(events.at(-1)?.type, 'usage');
  });

  it('calls the embeddings deployment URL with a configured API version', async () => {
    const pinned = createAzureOpenaiProvider('azure-pinned', azureConfig({ apiKey, baseUrl: `${server.origin}/`, apiVersion: '2025-04-01-preview' }));
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('openai-embeddings', 'response-float')));
    try {
      await pinned.embed(embeddingCall('embedder'));
      const recorded = await server.nextRequest();
      assert.equal(recorded.url, '/openai/deployments/embedder/embeddings?api-version=2025-04-01-preview');
      assert.equal(recorded.headers['api-key'], apiKey);
    } finally {
      await pinned.close();
    }
  });

  it('classifies an unknown deployment and keeps the key out of the error', async () => {
    server.handle((_request, response) =>
      replyJson(response, 404, { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } }),
    );
    const error = await expectGatewayError(provider.complete(modelCall('missing')), [apiKey]);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_not_found');
  });

  it('refuses calls without a key', async () => {
    const unconfigured = createAzureOpenaiProvider('azure-east', azureConfig({ baseUrl: server.origin }));
    const requestsBefore = server.requests.length;
    try {
      const error = await expectGatewayError(unconfigured.complete(modelCall('chat')));
      assert.equal(error.code, 'upstream_authentication_failed');
      assert.match(error.message, /providers\.azure-east\.apiKey/);
      assert.equal(server.requests.length, requestsBefore);
    } finally {
      await unconfigured.close();
    }
  });
});
