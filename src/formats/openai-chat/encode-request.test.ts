import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest } from '../../core/model/index.ts';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { decodeRequest } from './decode-request.ts';
import { encodeRequest } from './encode-request.ts';

const fullRequest: ChatRequest = {
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
    { role: 'system', content: [{ type: 'text', text: 'cached prefix', cacheControl: { type: 'ephemeral', ttl: '30m' } }] },
    {
      role: 'user',
      name: 'ada',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQ' }, detail: 'high' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, cacheControl: { type: 'ephemeral' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{"q":"a"}' },
        { type: 'tool-call', id: 'call_2', name: 'lookup', arguments: '{"q":"b"}' },
      ],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'A' }] },
        { type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: 'B1' }, { type: 'text', text: 'B2' }] },
      ],
    },
    { role: 'assistant', content: [{ type: 'tool-call', id: 'call_3', name: 'lookup', arguments: '{}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_3', content: [{ type: 'text', text: '' }] }] },
    { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
  ],
  tools: [{ name: 'lookup', description: 'Looks things up', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: true }],
  toolChoice: { type: 'tool', name: 'lookup' },
  parallelToolCalls: false,
  responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' }, description: 'The answer', strict: true },
  sampling: { maxOutputTokens: 256, temperature: 0.2, topP: 0.9, stopSequences: ['END'], seed: 7, frequencyPenalty: 0.5, presencePenalty: -0.5 },
  reasoning: { effort: 'low' },
  stream: true,
  user: 'user-42',
  providerOptions: { 'openai-chat': { logprobs: true, top_logprobs: 3, stream_options: { include_usage: false } } },
};

describe('encodeRequest then decodeRequest', () => {
  test('gives the canonical request back', () => {
    const encoded = encodeRequest(fullRequest, { model: 'gpt-4o' });
    const decoded = decodeRequest(encoded);
    // The upstream call always asks for the usage chunk; everything else comes back as it went.
    assert.deepEqual(decoded, {
      ...fullRequest,
      providerOptions: { 'openai-chat': { logprobs: true, top_logprobs: 3, stream_options: { include_usage: true } } },
    });
  });

  test('gives the canonical request back for every recorded request', () => {
    for (const name of ['request-default.json', 'request-image-input.json', 'request-functions.json', 'request-logprobs.json', 'request-tool-result.json']) {
      const request = decodeRequest(readFixture(name));
      assert.deepEqual(decodeRequest(encodeRequest(request, { model: request.model })), request, name);
    }
  });
});

describe('encodeRequest', () => {
  test('writes the upstream model, plain strings for lone text, and max_completion_tokens', () => {
    const encoded = encodeRequest(decodeRequest(readFixture('request-image-input.json')), { model: 'gpt-4o-2024-08-06' });
    assert.equal(encoded['model'], 'gpt-4o-2024-08-06');
    assert.equal(encoded['max_completion_tokens'], 300);
    assert.equal(encoded['max_tokens'], undefined);
    assert.equal(encoded['stream'], undefined);
    assert.equal(encoded['stream_options'], undefined);
    const simple = encodeRequest(decodeRequest(readFixture('request-default.json')), { model: 'x' });
    assert.deepEqual(simple['messages'], [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Hello!' }]);
  });

  test('writes tool turns as OpenAI does: null content beside tool_calls, one tool message per result', () => {
    const encoded = encodeRequest(fullRequest, { model: 'gpt-4o' });
    const messages = encoded['messages'];
    assert.ok(Array.isArray(messages));
    assert.equal(messages.length, 9);
    assert.deepEqual(messages[4], { role: 'tool', tool_call_id: 'call_1', content: 'A' });
    assert.deepEqual(messages[5], { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'B1' }, { type: 'text', text: 'B2' }] });
    assert.deepEqual(messages[6], { role: 'assistant', content: null, tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'lookup', arguments: '{}' } }] });
  });

  test('re-emits only its own provider options, and never lets them override canonical fields', () => {
    const request: ChatRequest = {
      ...fullRequest,
      stream: false,
      providerOptions: { 'openai-chat': { store: true, temperature: 2 }, 'anthropic-messages': { top_k: 5 } },
    };
    const encoded = encodeRequest(request, { model: 'gpt-4o' });
    assert.equal(encoded['store'], true);
    assert.equal(encoded['temperature'], 0.2);
    assert.equal(encoded['top_k'], undefined);
  });

  test('a streamed call always asks for the usage chunk, keeping the caller\'s other stream options', () => {
    const request: ChatRequest = { ...fullRequest, providerOptions: { 'openai-chat': { stream_options: { include_obfuscation: false } } } };
    const encoded = encodeRequest(request, { model: 'gpt-4o' });
    assert.equal(encoded['stream'], true);
    assert.deepEqual(encoded['stream_options'], { include_obfuscation: false, include_usage: true });
  });

  test('refuses images in tool results, which OpenAI tool messages cannot carry', () => {
    const request: ChatRequest = {
      model: 'm',
      messages: [{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] }] }],
      sampling: {},
      stream: false,
    };
    assert.throws(() => encodeRequest(request, { model: 'm' }), (error: unknown) =>
      error instanceof GatewayError && error.code === 'unsupported_capability' && error.message.includes('messages[0].content[0].content[0]'));
  });

  test('drops what OpenAI has no field for: reasoning parts and topK', () => {
    const request: ChatRequest = {
      model: 'm',
      messages: [{ role: 'assistant', content: [{ type: 'reasoning', text: 'thinking', signature: 'sig' }, { type: 'text', text: 'Hi' }] }],
      sampling: { topK: 40 },
      stream: false,
    };
    const encoded = encodeRequest(request, { model: 'm' });
    assert.deepEqual(encoded['messages'], [{ role: 'assistant', content: 'Hi' }]);
    assert.equal(encoded['top_k'], undefined);
  });
});
