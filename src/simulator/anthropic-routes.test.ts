import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { anthropicMessagesFormat } from '../formats/anthropic-messages/index.ts';
import { credentials, eventOutline, postJson, readStream, streamedText, withSimulator } from './simulator-test-support.ts';

const messages = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: text }],
  ...extra,
});

test('Anthropic messages answers a message the codec decodes, with rate-limit headers', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}/v1/messages`, messages('[[sim:reply Bonjour]]'), credentials.anthropic);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('request-id') ?? '', /^req_/);
    const body = (await response.json()) as { id: string; type: string };
    assert.match(body.id, /^msg_/);
    assert.equal(body.type, 'message');
    const result = anthropicMessagesFormat.decodeResult(body);
    assert.deepEqual(result.content, [{ type: 'text', text: 'Bonjour' }]);
    assert.equal(result.finishReason, 'stop');
    const remaining = Number(response.headers.get('anthropic-ratelimit-requests-remaining'));
    const again = await postJson(`${url}/v1/messages`, messages('hello'), credentials.anthropic);
    assert.equal(Number(again.headers.get('anthropic-ratelimit-requests-remaining')), remaining - 1);
    assert.match(again.headers.get('anthropic-ratelimit-tokens-reset') ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });
});

test('Anthropic streams message_start … message_stop that the codec decodes', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}/v1/messages`, messages('Tell me a story', { stream: true }), credentials.anthropic);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const raw = await response.clone().text();
    assert.match(raw, /^event: message_start\n/);
    assert.match(raw, /event: message_stop\n[^\n]*\n\n$/);
    const { events } = await readStream(response, anthropicMessagesFormat);
    assert.deepEqual(eventOutline(events).filter((type) => type !== 'usage'), ['stream-start', 'text-delta', 'finish']);
    assert.ok(streamedText(events).length > 20);
  });
});

test('a second request with the same cache_control prefix reads the cache; the first writes it', async () => {
  const system = [{ type: 'text', text: 'You are a meticulous assistant. '.repeat(100), cache_control: { type: 'ephemeral' } }];
  await withSimulator({}, async ({ url }) => {
    const usages = [];
    for (const question of ['First question?', 'Second question?']) {
      const body = (await (await postJson(`${url}/v1/messages`, messages(question, { system }), credentials.anthropic)).json()) as { usage: Record<string, number> };
      usages.push(body.usage);
    }
    const [first, second] = usages;
    assert.ok((first?.cache_creation_input_tokens ?? 0) > 500);
    assert.equal(first?.cache_read_input_tokens, 0);
    assert.equal(second?.cache_read_input_tokens, first?.cache_creation_input_tokens);
    assert.equal(second?.cache_creation_input_tokens, 0);
    assert.ok((second?.input_tokens ?? 0) > 0 && (second?.input_tokens ?? 0) < 30, 'only the question and framing are uncached');
  });
});

test('extended thinking gets a signed thinking block and counted thinking tokens', async () => {
  await withSimulator({}, async ({ url }) => {
    const body = messages('Think first', { thinking: { type: 'enabled', budget_tokens: 2048 } });
    const result = anthropicMessagesFormat.decodeResult(await (await postJson(`${url}/v1/messages`, body, credentials.anthropic)).json());
    const reasoning = result.content[0];
    assert.equal(reasoning?.type, 'reasoning');
    assert.ok(reasoning?.type === 'reasoning' && reasoning.text.length > 0 && (reasoning.signature ?? '').length > 0);
    const streamed = await readStream(await postJson(`${url}/v1/messages`, { ...body, stream: true }, credentials.anthropic), anthropicMessagesFormat);
    assert.deepEqual(eventOutline(streamed.events).filter((type) => type !== 'usage'), ['stream-start', 'reasoning-delta', 'text-delta', 'finish']);
    assert.ok(streamed.events.some((event) => event.type === 'reasoning-delta' && event.signature !== undefined));
  });
});

test('a tool named by tool_choice is called with valid arguments', async () => {
  const inputSchema = { type: 'object', properties: { query: { type: 'string', minLength: 3 }, limit: { type: 'integer', minimum: 1, maximum: 10 } }, required: ['query', 'limit'] };
  const validate = new Ajv2020({ strict: false }).compile(inputSchema);
  await withSimulator({}, async ({ url }) => {
    const body = messages('find documents', { tools: [{ name: 'search', description: 'Search', input_schema: inputSchema }], tool_choice: { type: 'tool', name: 'search' } });
    const raw = (await (await postJson(`${url}/v1/messages`, body, credentials.anthropic)).json()) as { stop_reason: string; content: Array<{ type: string; id?: string; input?: unknown }> };
    assert.equal(raw.stop_reason, 'tool_use');
    const use = raw.content.find((block) => block.type === 'tool_use');
    assert.match(use?.id ?? '', /^toolu_/);
    assert.ok(validate(use?.input));
  });
});

test('Anthropic errors come in its own format: 401 without x-api-key, 400 for a bad body', async () => {
  await withSimulator({}, async ({ url }) => {
    const unauthorised = await postJson(`${url}/v1/messages`, messages('hi'), { 'anthropic-version': '2023-06-01' });
    assert.equal(unauthorised.status, 401);
    const text = await unauthorised.text();
    assert.deepEqual(JSON.parse(text).error.type, 'authentication_error');
    assert.equal(anthropicMessagesFormat.decodeError(401, text, unauthorised.headers).code, 'upstream_authentication_failed');
    for (const body of ['not json', JSON.stringify({ model: 'claude', messages: [] }), JSON.stringify({ model: 'c', max_tokens: 5, messages: [{ role: 'robot', content: 'x' }] })]) {
      const invalid = await postJson(`${url}/v1/messages`, body, credentials.anthropic);
      assert.equal(invalid.status, 400, body);
      const error = (await invalid.json()) as { type: string; error: { type: string } };
      assert.deepEqual([error.type, error.error.type], ['error', 'invalid_request_error']);
    }
  });
});
