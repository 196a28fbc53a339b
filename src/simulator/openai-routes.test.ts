import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openaiChatFormat } from '../formats/openai-chat/index.ts';
import { openaiEmbeddingsFormat } from '../formats/openai-embeddings/index.ts';
import { cosineSimilarity } from './embed-text.ts';
import { credentials, eventOutline, postJson, readStream, streamedText, withSimulator } from './simulator-test-support.ts';

const chat = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra });

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'unit'], additionalProperties: false },
  },
};

test('OpenAI chat answers a completion the codec decodes, with usage and rate-limit headers', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}/v1/chat/completions`, chat('[[sim:reply Hello from the simulator]]'), credentials.openai);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-request-id') ?? '', /^req_/);
    const result = openaiChatFormat.decodeResult(await response.json());
    assert.deepEqual(result.content, [{ type: 'text', text: 'Hello from the simulator' }]);
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.model, 'gpt-4o-mini');
    assert.equal(result.usage.outputTokens, 4);
    assert.ok(result.usage.inputTokens > 5);
    const first = Number(response.headers.get('x-ratelimit-remaining-requests'));
    const again = await postJson(`${url}/v1/chat/completions`, chat('again'), credentials.openai);
    assert.equal(Number(again.headers.get('x-ratelimit-remaining-requests')), first - 1);
    assert.equal(again.headers.get('x-ratelimit-limit-requests'), '10000');
    assert.match(again.headers.get('x-ratelimit-reset-requests') ?? '', /^\d+(\.\d+)?(ms|s)$|^\d+m[\d.]+s$/);
  });
});

test('the same request gets the same answer', async () => {
  await withSimulator({}, async ({ url }) => {
    const texts = [];
    for (let index = 0; index < 2; index++) {
      const response = await postJson(`${url}/v1/chat/completions`, chat('Explain rate limits'), credentials.openai);
      texts.push(openaiChatFormat.decodeResult(await response.json()).content);
    }
    assert.deepEqual(texts[0], texts[1]);
  });
});

test('OpenAI chat streams a well-formed stream with the usage chunk when asked', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}/v1/chat/completions`, chat('[[sim:reply one two three four]]', { stream: true, stream_options: { include_usage: true } }), credentials.openai);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const { events, transportError } = await readStream(response, openaiChatFormat);
    assert.equal(transportError, undefined);
    assert.deepEqual(eventOutline(events), ['stream-start', 'text-delta', 'finish', 'usage']);
    assert.equal(streamedText(events), 'one two three four');
    assert.equal(events.filter((event) => event.type === 'text-delta').length, 4, 'one piece per word');
  });
});

test('tools: tool_choice required gets a tool call whose arguments validate against the schema, streamed or not', async () => {
  const validate = new Ajv2020({ strict: false }).compile(weatherTool.function.parameters);
  await withSimulator({}, async ({ url }) => {
    const body = chat('What is the weather?', { tools: [weatherTool], tool_choice: 'required' });
    const result = openaiChatFormat.decodeResult(await (await postJson(`${url}/v1/chat/completions`, body, credentials.openai)).json());
    assert.equal(result.finishReason, 'tool-calls');
    const call = result.content.find((part) => part.type === 'tool-call');
    assert.equal(call?.type === 'tool-call' && call.name, 'get_weather');
    assert.ok(call?.type === 'tool-call' && validate(JSON.parse(call.arguments)));
    const streamed = await readStream(await postJson(`${url}/v1/chat/completions`, { ...body, stream: true }, credentials.openai), openaiChatFormat);
    assert.deepEqual(eventOutline(streamed.events), ['stream-start', 'tool-call-start', 'tool-call-delta', 'finish']);
    const argumentsText = streamed.events.map((event) => (event.type === 'tool-call-delta' ? event.argumentsDelta : '')).join('');
    assert.ok(validate(JSON.parse(argumentsText)));
  });
});

test('json_schema response format answers JSON valid against the schema', async () => {
  const schema = { type: 'object', properties: { title: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 } }, required: ['title', 'tags'], additionalProperties: false };
  const validate = new Ajv2020({ strict: false }).compile(schema);
  await withSimulator({}, async ({ url }) => {
    const body = chat('Describe a film', { response_format: { type: 'json_schema', json_schema: { name: 'film', schema, strict: true } } });
    const result = openaiChatFormat.decodeResult(await (await postJson(`${url}/v1/chat/completions`, body, credentials.openai)).json());
    const text = result.content.find((part) => part.type === 'text');
    assert.ok(text?.type === 'text' && validate(JSON.parse(text.text)), JSON.stringify(validate.errors));
  });
});

test('max_tokens truncates with finish length', async () => {
  await withSimulator({}, async ({ url }) => {
    const result = openaiChatFormat.decodeResult(await (await postJson(`${url}/v1/chat/completions`, chat('[[sim:length 100]]', { max_tokens: 5 }), credentials.openai)).json());
    assert.equal(result.finishReason, 'length');
    assert.equal(result.usage.outputTokens, 5);
  });
});

test('missing credentials get a 401, malformed bodies a 400, unknown paths a 404, all in OpenAI format', async () => {
  await withSimulator({}, async ({ url }) => {
    const unauthorised = await postJson(`${url}/v1/chat/completions`, chat('hi'));
    assert.equal(unauthorised.status, 401);
    assert.equal(openaiChatFormat.decodeError(401, await unauthorised.text(), unauthorised.headers).code, 'upstream_authentication_failed');
    for (const body of ['{"model": "gpt-4o",', '', JSON.stringify({ model: 'gpt-4o' }), JSON.stringify({ model: 'gpt-4o', messages: 'hi' })]) {
      const invalid = await postJson(`${url}/v1/chat/completions`, body, credentials.openai);
      assert.equal(invalid.status, 400, body);
      const error = (await invalid.json()) as { error: { type: string; message: string } };
      assert.equal(error.error.type, 'invalid_request_error');
      assert.ok(error.error.message.length > 0);
    }
    const missing = await fetch(`${url}/v1/nothing`, { headers: credentials.openai });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { type: string } }).error.type, 'invalid_request_error');
  });
});

test('bad simulator headers are the caller\'s error', async () => {
  await withSimulator({}, async ({ url }) => {
    for (const headers of [{ 'x-sim-latency': 'ttft=soon' }, { 'x-sim-fault': 'meteor' }] as Array<Record<string, string>>) {
      const response = await postJson(`${url}/v1/chat/completions`, chat('hi'), { ...credentials.openai, ...headers });
      assert.equal(response.status, 400);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /x-sim-/);
    }
    const slow = await postJson(`${url}/v1/chat/completions`, chat('[[sim:reply ok]]'), { ...credentials.openai, 'x-sim-latency': 'ttft=1,tps=100000' });
    assert.equal(slow.status, 200);
  });
});

test('embeddings: unit vectors, dimensions honoured, usage counted, similar texts closer', async () => {
  await withSimulator({}, async ({ url }) => {
    const input = ['reset my account password', 'how to reset a password for my account', 'quarterly sales grew in the north'];
    const response = await postJson(`${url}/v1/embeddings`, { model: 'text-embedding-3-small', input }, credentials.openai);
    assert.equal(response.status, 200);
    const request = openaiEmbeddingsFormat.decodeRequest({ model: 'text-embedding-3-small', input });
    const result = openaiEmbeddingsFormat.decodeResult(await response.json());
    assert.equal(result.embeddings.length, 3);
    assert.equal(result.embeddings[0]?.length, 1536);
    assert.ok(result.usage.inputTokens >= 15);
    const [query = [], similar = [], unrelated = []] = result.embeddings;
    assert.ok(cosineSimilarity(query, similar) > cosineSimilarity(query, unrelated));
    const small = openaiEmbeddingsFormat.decodeResult(await (await postJson(`${url}/v1/embeddings`, { ...request, input: 'x', dimensions: 256 }, credentials.openai)).json());
    assert.equal(small.embeddings[0]?.length, 256);
    const unauthorised = await postJson(`${url}/v1/embeddings`, { model: 'm', input: 'x' });
    assert.equal(unauthorised.status, 401);
    const invalid = await postJson(`${url}/v1/embeddings`, { model: 'm' }, credentials.openai);
    assert.equal(invalid.status, 400);
  });
});

test('GET /v1/models lists models in OpenAI or Anthropic shape', async () => {
  await withSimulator({ models: ['gpt-4o', 'claude-sonnet-4-5'] }, async ({ url }) => {
    const openai = (await (await fetch(`${url}/v1/models`, { headers: credentials.openai })).json()) as { object: string; data: Array<{ id: string; object: string }> };
    assert.equal(openai.object, 'list');
    assert.deepEqual(openai.data.map((model) => model.id), ['gpt-4o', 'claude-sonnet-4-5']);
    const anthropic = (await (await fetch(`${url}/v1/models`, { headers: credentials.anthropic })).json()) as { data: Array<{ type: string }>; has_more: boolean };
    assert.equal(anthropic.data[0]?.type, 'model');
    assert.equal(anthropic.has_more, false);
    assert.equal((await fetch(`${url}/v1/models`)).status, 401);
  });
});

test('Azure routes answer chat and embeddings with api-key auth and need api-version', async () => {
  await withSimulator({}, async ({ url }) => {
    const base = `${url}/openai/deployments/my-gpt`;
    const response = await postJson(`${base}/chat/completions?api-version=2024-10-21`, { messages: [{ role: 'user', content: '[[sim:reply azure ok]]' }] }, credentials.azure);
    assert.equal(response.status, 200);
    const result = openaiChatFormat.decodeResult(await response.json());
    assert.equal(result.model, 'my-gpt');
    assert.deepEqual(result.content, [{ type: 'text', text: 'azure ok' }]);
    assert.ok(response.headers.get('x-ratelimit-remaining-tokens') !== null);
    const embeddings = await postJson(`${url}/openai/deployments/emb/embeddings?api-version=2024-10-21`, { input: ['a b c'] }, credentials.azure);
    assert.equal(embeddings.status, 200);
    assert.equal(openaiEmbeddingsFormat.decodeResult(await embeddings.json()).embeddings.length, 1);
    const unauthorised = await postJson(`${base}/chat/completions?api-version=2024-10-21`, { messages: [] }, { 'x-api-key': 'wrong-header' });
    assert.equal(unauthorised.status, 401);
    assert.deepEqual(Object.keys(((await unauthorised.json()) as { error: object }).error).toSorted(), ['code', 'message']);
    assert.equal((await postJson(`${base}/chat/completions`, { messages: [] }, credentials.azure)).status, 404);
  });
});

test('bodies over the size limit are refused with a 400 and the connection stays usable', async () => {
  await withSimulator({ maxBodyBytes: 200 }, async ({ url }) => {
    const large = await postJson(`${url}/v1/chat/completions`, chat('x'.repeat(500)), credentials.openai);
    assert.equal(large.status, 400);
    assert.match(((await large.json()) as { error: { message: string } }).error.message, /larger than 200 bytes/);
    assert.equal((await postJson(`${url}/v1/chat/completions`, chat('hi'), credentials.openai)).status, 200);
  });
});
