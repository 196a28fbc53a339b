import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest, JsonObject } from '../../core/model/index.ts';
import { bedrockConverseFormat, createBedrockConverseFormat, jsonResponseToolName } from './index.ts';
import { loadFixture } from './test-support.ts';

const context = { model: 'anthropic.claude-3-haiku-20240307-v1:0' };
const roundTrip = (body: JsonObject): JsonObject => bedrockConverseFormat.encodeRequest(bedrockConverseFormat.decodeRequest(body, context), context);

const request = (overrides: Partial<ChatRequest>): ChatRequest => ({
  model: 'alias',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  sampling: {},
  stream: false,
  ...overrides,
});

const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

for (const name of ['request-tool-choice.json', 'request-tool-result-error.json', 'request-cache-points.json', 'request-image-and-fields.json']) {
  test(`re-encodes ${name} as it came`, () => {
    const body = loadFixture<JsonObject>(name).payload;
    assert.deepEqual(roundTrip(body), body);
  });
}

test('re-encodes a json tool result as its JSON text', () => {
  const encoded = roundTrip(loadFixture<JsonObject>('request-tool-result.json').payload);
  assert.deepEqual((encoded.messages as JsonObject[])[2], {
    role: 'user',
    content: [
      { toolResult: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: [{ text: '{"song":"Elemental Hotel","artist":"8 Storey Hike"}' }] } },
    ],
  });
});

test('gathers system messages, merges tool and user turns with tool results first', () => {
  const encoded = bedrockConverseFormat.encodeRequest(
    request({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }] },
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
        { role: 'assistant', content: [{ type: 'text', text: '' }, { type: 'tool-call', id: 'c1', name: 'weather', arguments: '{"city":"Paris"}' }] },
        { role: 'user', content: [{ type: 'text', text: 'Quickly please', cacheControl: { type: 'ephemeral', ttl: '5m' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'Sunny' }], isError: false }] },
        { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
      ],
      tools: [{ name: 'weather', parameters: schema, cacheControl: { type: 'ephemeral' } }],
      toolChoice: { type: 'auto' },
      sampling: { maxOutputTokens: 100, temperature: 0.5, seed: 7, frequencyPenalty: 1 },
    }),
    context,
  );
  assert.deepEqual(encoded, {
    system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }, { text: 'Answer in French.' }],
    messages: [
      { role: 'user', content: [{ text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 'c1', name: 'weather', input: { city: 'Paris' } } }] },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'c1', content: [{ text: 'Sunny' }], status: 'success' } },
          { text: 'Quickly please' },
          { cachePoint: { type: 'default', ttl: '5m' } },
        ],
      },
    ],
    inferenceConfig: { maxTokens: 100, temperature: 0.5 },
    toolConfig: { tools: [{ toolSpec: { name: 'weather', inputSchema: { json: schema } } }, { cachePoint: { type: 'default' } }], toolChoice: { auto: {} } },
  });
});

test('refuses image URLs with unsupported_capability', () => {
  const withUrl = request({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } }] }] });
  assert.throws(
    () => bedrockConverseFormat.encodeRequest(withUrl, context),
    (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_capability' && /base64/.test(error.message),
  );
  const tiff = request({ messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/tiff', data: 'AA==' } }] }] });
  assert.throws(() => bedrockConverseFormat.encodeRequest(tiff, context), (error: unknown) => error instanceof GatewayError && error.code === 'unsupported_capability');
});

test('sends structured output natively by default', () => {
  const encoded = bedrockConverseFormat.encodeRequest(request({ responseFormat: { type: 'json-schema', name: 'weather', schema } }), context);
  assert.deepEqual(encoded.outputConfig, {
    textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'weather' } } },
  });
  assert.equal(encoded.toolConfig, undefined);
});

test('emulates structured output with a forced tool in tool mode', () => {
  const toolFormat = createBedrockConverseFormat({ structuredOutput: 'tool' });
  const encoded = toolFormat.encodeRequest(request({ responseFormat: { type: 'json-schema', name: 'weather', schema } }), context);
  assert.equal(encoded.outputConfig, undefined);
  assert.deepEqual(encoded.toolConfig, {
    tools: [{ toolSpec: { name: jsonResponseToolName, description: 'Respond with the weather JSON object', inputSchema: { json: schema } } }],
    toolChoice: { tool: { name: jsonResponseToolName } },
  });
  const withTools = toolFormat.encodeRequest(request({ responseFormat: { type: 'json-object' }, tools: [{ name: 'weather', parameters: schema }] }), context);
  assert.deepEqual((withTools.toolConfig as JsonObject).toolChoice, { any: {} });
  const thinking = toolFormat.encodeRequest(request({ responseFormat: { type: 'json-object' }, reasoning: { budgetTokens: 2048 } }), context);
  assert.deepEqual((thinking.toolConfig as JsonObject).toolChoice, { auto: {} });
});

test('honours tool choice none by leaving the tools out, unless the history needs them', () => {
  const tools = [{ name: 'weather', parameters: schema }];
  assert.equal(bedrockConverseFormat.encodeRequest(request({ tools, toolChoice: { type: 'none' } }), context).toolConfig, undefined);
  const withHistory = request({
    tools,
    toolChoice: { type: 'none' },
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'weather', arguments: '{}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', content: [{ type: 'text', text: 'Sunny' }] }] },
    ],
  });
  assert.deepEqual(bedrockConverseFormat.encodeRequest(withHistory, context).toolConfig, { tools: [{ toolSpec: { name: 'weather', inputSchema: { json: schema } } }] });
});

test('maps reasoning and top_k, re-emits only known provider options', () => {
  const encoded = bedrockConverseFormat.encodeRequest(
    request({
      sampling: { topK: 40 },
      reasoning: { budgetTokens: 4096, effort: 'minimal' },
      providerOptions: {
        'bedrock-converse': { guardrailConfig: { guardrailIdentifier: 'g', guardrailVersion: '1' }, messages: 'injected' },
        'openai-chat': { logprobs: true },
      },
    }),
    context,
  );
  assert.deepEqual(encoded.additionalModelRequestFields, { top_k: 40, thinking: { type: 'enabled', budget_tokens: 4096 } });
  assert.deepEqual(encoded.outputConfig, { effort: 'low' });
  assert.deepEqual(encoded.guardrailConfig, { guardrailIdentifier: 'g', guardrailVersion: '1' });
  assert.deepEqual(encoded.messages, [{ role: 'user', content: [{ text: 'Hi' }] }]);
  assert.equal(encoded.logprobs, undefined);
});

test('keeps tool arguments that are not JSON as a string input', () => {
  const encoded = bedrockConverseFormat.encodeRequest(
    request({ messages: [{ role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 't', arguments: '{"city": "Par' }] }] }),
    context,
  );
  assert.deepEqual(encoded.messages, [{ role: 'assistant', content: [{ toolUse: { toolUseId: 'c', name: 't', input: '{"city": "Par' } }] }]);
  const decoded = bedrockConverseFormat.decodeRequest(encoded, context);
  assert.deepEqual(decoded.messages[0]?.content[0], { type: 'tool-call', id: 'c', name: 't', arguments: '{"city": "Par' });
});
