import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { providerConfigSchema, type ProviderConfig } from './provider-config-schema.ts';
import { createProviderRegistry } from './create-provider-registry.ts';
import { modelCall } from './testing/canonical-calls.ts';
import { expectGatewayError } from './testing/expect-gateway-error.ts';
import { readFormatFixture } from './testing/read-format-fixture.ts';
import { replyJson, startRecordingServer, type RecordingServer } from './testing/start-recording-server.ts';

const parse = (input: Record<string, unknown>): ProviderConfig => providerConfigSchema.parse(input);

describe('createProviderRegistry', { timeout: 20_000 }, () => {
  let server: RecordingServer;
  let configs: Record<string, ProviderConfig>;

  before(async () => {
    server = await startRecordingServer((_request, response) =>
      replyJson(response, 200, readFormatFixture('openai-chat', 'response-default')),
    );
    configs = {
      openai: parse({ type: 'openai', apiKey: 'sk-one', baseUrl: server.origin }),
      local: parse({ type: 'openai-compatible', baseUrl: server.origin }),
      azure: parse({ type: 'azure-openai', apiKey: 'azure-key', baseUrl: server.origin }),
      claude: parse({ type: 'anthropic', apiKey: 'sk-ant' }),
      gemini: parse({ type: 'gemini', apiKey: 'AIza' }),
      aws: parse({ type: 'bedrock', region: 'eu-west-1', accessKeyId: 'AKID', secretAccessKey: 'secret' }),
    };
  });
  after(async () => {
    await server.close();
  });

  it('builds one provider per config entry, with its name and type', async () => {
    const registry = createProviderRegistry(configs);
    try {
      for (const [name, config] of Object.entries(configs)) {
        const provider = registry.get(name);
        assert.ok(provider !== undefined, name);
        assert.equal(provider.name, name);
        assert.equal(provider.type, config.type);
        assert.equal(registry.get(name), provider, 'the same instance every time');
      }
      assert.equal(registry.get('missing'), undefined);
      assert.equal(registry.get('toString'), undefined);
    } finally {
      await registry.close();
    }
  });

  it('calls through a registered provider, and refuses calls once closed', async () => {
    const registry = createProviderRegistry({ local: configs['local'] as ProviderConfig });
    const provider = registry.get('local');
    assert.ok(provider !== undefined);
    const result = await provider.complete(modelCall('llama3.2'));
    assert.equal(result.finishReason, 'stop');
    assert.equal((await server.nextRequest()).url, '/chat/completions');
    await registry.close();
    const error = await expectGatewayError(provider.complete(modelCall('llama3.2')));
    assert.equal(error.code, 'upstream_connection_failed');
  });

});
