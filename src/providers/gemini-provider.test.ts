import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { providerConfigSchema } from './provider-config-schema.ts';
import { createGeminiProvider, type GeminiProviderConfig } from './gemini-provider.ts';
import type { Provider } from './provider.ts';
import { embeddingCall, modelCall } from './testing/canonical-calls.ts';
import { collectEvents } from './testing/collect-events.ts';
import { expectGatewayError } from './testing/expect-gateway-error.ts';
import { readFormatFixture, readStreamFixture } from './testing/read-format-fixture.ts';
import { replyJson, startRecordingServer, type RecordingServer } from './testing/start-recording-server.ts';

const apiKey = 'AIzaSyTest0123456789abcdefghijkl';

const geminiConfig = (input: Record<string, unknown>): GeminiProviderConfig => {
  const config = providerConfigSchema.parse({ type: 'gemini', ...input });
  assert.ok(config.type === 'gemini');
  return config;
};

describe('createGeminiProvider', { timeout: 20_000 }, () => {
  let server: RecordingServer;
  let provider: Provider;

  before(async () => {
    server = await startRecordingServer();
    provider = createGeminiProvider('gemini', geminiConfig({ apiKey, baseUrl: server.origin }));
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  it('calls :generateContent with the key in x-goog-api-key, never in the URL', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('gemini-generate', 'response-thinking')));
    const result = await provider.complete(modelCall('gemini-2.5-flash'));
    const recorded = await server.nextRequest();
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.url, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(recorded.headers['x-goog-api-key'], apiKey);
    assert.ok(!recorded.url.includes(apiKey));
    assert.ok(Array.isArray((JSON.parse(recorded.body) as Record<string, unknown>)['contents']));
    assert.equal(result.model, 'gemini-2.5-flash');
  });

  it('accepts a model given as a resource name', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('gemini-generate', 'response-thinking')));
    await provider.complete(modelCall('models/gemini-2.5-flash'));
    assert.equal((await server.nextRequest()).url, '/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('streams from :streamGenerateContent?alt=sse', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(readStreamFixture('gemini-generate', 'stream-text'));
    });
    const events = await collectEvents(await provider.stream(modelCall('gemini-3-pro-preview')));
    const recorded = await server.nextRequest();
    assert.equal(recorded.url, '/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    assert.equal(recorded.headers['accept'], 'text/event-stream');
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
    assert.equal(text, 'The capital of Mexico is Mexico City.');
    assert.ok(events.some((event) => event.type === 'finish'));
  });

  it('embeds with :batchEmbedContents', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('gemini-generate', 'embeddings-response')));
    const result = await provider.embed({ ...embeddingCall('gemini-embedding-001'), request: { model: 'alias', input: ['a', 'b', 'c'], encodingFormat: 'float' } });
    const recorded = await server.nextRequest();
    assert.equal(recorded.url, '/v1beta/models/gemini-embedding-001:batchEmbedContents');
    assert.equal(recorded.headers['x-goog-api-key'], apiKey);
    const body = JSON.parse(recorded.body) as { requests: Array<{ model: string }> };
    assert.equal(body.requests.length, 3);
    assert.equal(body.requests[0]?.model, 'models/gemini-embedding-001');
    assert.equal(result.embeddings.length, 3);
    assert.equal(result.model, 'gemini-embedding-001');
  });

  it('classifies a 429 with its RetryInfo delay', async () => {
    server.handle((_request, response) => replyJson(response, 429, readFormatFixture('gemini-generate', 'error-rate-limited')));
    const error = await expectGatewayError(provider.complete(modelCall('gemini-2.5-flash')), [apiKey]);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_rate_limited');
    assert.equal(error.retryAfterSeconds, 26);
  });

  it('refuses calls without a key', async () => {
    const unconfigured = createGeminiProvider('google', geminiConfig({ baseUrl: server.origin }));
    try {
      const error = await expectGatewayError(unconfigured.embed(embeddingCall('gemini-embedding-001')));
      assert.equal(error.code, 'upstream_authentication_failed');
      assert.match(error.message, /providers\.google\.apiKey/);
    } finally {
      await unconfigured.close();
    }
  });
});
