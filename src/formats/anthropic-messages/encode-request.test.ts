import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChatRequest, Message, ToolDefinition } from '../../core/model/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeAnthropicRequest } from './decode-request.ts';
import { encodeAnthropicRequest } from './encode-request.ts';

const request = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'alias',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  sampling: {},
  stream: false,
  ...overrides,
});

const encode = (overrides: Partial<ChatRequest> = {}) => encodeAnthropicRequest(request(overrides), { model: 'claude-sonnet-4-5' });

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

const requestFixtures = [
  'request-basic',
  'request-tool-result',
  'request-tool-choice-image',
  'request-image-url',
  'request-prompt-caching-system',
  'request-prompt-caching-tools',
  'request-thinking-tools',
  'request-structured-output',
];

describe('round trips', () => {
  test('an Anthropic request decoded and encoded again is the same request', () => {
    for (const name of requestFixtures) {
      const payload = loadFixture(name).payload as { model: string };
      const encoded = encodeAnthropicRequest(decodeAnthropicRequest(payload), { model: payload.model });
      assert.deepEqual(encoded, payload, name);
    }
  });

  test('the beta output_format is sent as output_config.format', () => {
    const payload = loadFixture('request-structured-output-beta').payload as { model: string; output_format: unknown };
    const encoded = encodeAnthropicRequest(decodeAnthropicRequest(payload), { model: payload.model });
    assert.equal(encoded.output_format, undefined);
    assert.deepEqual(encoded.output_config, { format: payload.output_format });
  });

  test('decode(encode(request)) gives the canonical request back', () => {
    for (const name of [...requestFixtures, 'request-structured-output-beta']) {
      const decoded = decodeAnthropicRequest(loadFixture(name).payload);
      const again = decodeAnthropicRequest(encodeAnthropicRequest(decoded, { model: decoded.model }));
      assert.deepEqual(again, decoded, name);
    }
  });

  test('unknown fields of this format are re-emitted; other formats options are not', () => {
    const decoded = decodeAnthropicRequest({
      model: 'claude-opus-5',
      max_tokens: 2048,
      messages: [{ role: 'user', content: 'Hi' }],
      service_tier: 'standard_only',
      thinking: { type: 'adaptive' },
      output_config: { effort: 'max' },
      metadata: { user_id: 'u1', team: 'search' },
    });
    decoded.providerOptions = { ...decoded.providerOptions, 'openai-chat': { logprobs: true } };
    assert.deepEqual(encodeAnthropicRequest(decoded, { model: 'claude-opus-5' }), {
      model: 'claude-opus-5',
      max_tokens: 2048,
      messages: [{ role: 'user', content: 'Hi' }],
      service_tier: 'standard_only',
      thinking: { type: 'adaptive' },
      output_config: { effort: 'max' },
      metadata: { user_id: 'u1', team: 'search' },
    });
  });

  test("Anthropic's own effort is sent back as effort, not as a thinking budget", () => {
    const decoded = decodeAnthropicRequest({ model: 'm', max_tokens: 2048, temperature: 0.5, messages: [{ role: 'user', content: 'Hi' }], thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
    const encoded = encodeAnthropicRequest(decoded, { model: 'm' });
    assert.deepEqual(encoded.thinking, { type: 'adaptive' });
    assert.deepEqual(encoded.output_config, { effort: 'low' });
    decoded.reasoning = { effort: 'high' };
    assert.deepEqual(encodeAnthropicRequest(decoded, { model: 'm' }).output_config, { effort: 'high' }, 'a stage may change the effort');
  });
});

describe('encodeAnthropicRequest', () => {
  test('uses the provider model and defaults max_tokens to 4096', () => {
    assert.deepEqual(encode(), { model: 'claude-sonnet-4-5', max_tokens: 4096, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(encode({ sampling: { maxOutputTokens: 50 } }).max_tokens, 50);
  });

  test('sampling fields Anthropic has are sent; seed and penalties are not', () => {
    const encoded = encode({ sampling: { temperature: 0.2, topP: 0.8, topK: 5, stopSequences: ['END'], seed: 7, frequencyPenalty: 1, presencePenalty: 1 }, user: 'u9', stream: true });
    assert.deepEqual(
      { ...encoded, messages: undefined },
      { model: 'claude-sonnet-4-5', max_tokens: 4096, messages: undefined, temperature: 0.2, top_p: 0.8, top_k: 5, stop_sequences: ['END'], metadata: { user_id: 'u9' }, stream: true },
    );
  });

  test('gathers every system message into one system prompt', () => {
    const messages: Message[] = [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, user('Hi'), { role: 'system', content: [{ type: 'text', text: 'Use French.' }] }];
    assert.deepEqual(encode({ messages }).system, [
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Use French.' },
    ]);
    assert.equal(encode({ messages: messages.slice(0, 2) }).system, 'Be brief.');
    const cached: Message[] = [{ role: 'system', content: [{ type: 'text', text: 'Long manual', cacheControl: { type: 'ephemeral', ttl: '1h' } }] }, user('Hi')];
    assert.deepEqual(encode({ messages: cached }).system, [{ type: 'text', text: 'Long manual', cache_control: { type: 'ephemeral', ttl: '1h' } }]);
  });

  test('joins consecutive tool messages and the next user message into one user turn, tool results first', () => {
    const messages: Message[] = [
      user('Weather in Paris and Rome?'),
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
          { type: 'tool-call', id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: 'sunny' }] }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: 'rain' }], isError: true }] },
      user('And tomorrow?'),
    ];
    assert.deepEqual(encode({ messages }).messages, [
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'rain', is_error: true },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
  });

  test('merges consecutive same-role turns and moves tool results before user text', () => {
    const messages: Message[] = [
      user('One'),
      user('Two'),
      { role: 'assistant', content: [{ type: 'text', text: 'A' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 'n', arguments: '{}' }] },
      user('Before the result'),
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c', content: [] }] },
    ];
    assert.deepEqual(encode({ messages }).messages, [
      { role: 'user', content: [{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }, { type: 'tool_use', id: 'c', name: 'n', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c' }, { type: 'text', text: 'Before the result' }] },
    ]);
  });

  test('drops empty text, empty turns and unsigned reasoning, keeps redacted thinking', () => {
    const messages: Message[] = [
      user('Hi'),
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'thoughts from another provider' },
          { type: 'reasoning', text: '', redacted: 'EmwKAhgB' },
          { type: 'reasoning', text: 'signed', signature: 'sig' },
          { type: 'text', text: '' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: '' }] },
      user(''),
      user('Again'),
    ];
    assert.deepEqual(encode({ messages }).messages, [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'EmwKAhgB' }, { type: 'thinking', thinking: 'signed', signature: 'sig' }] },
      { role: 'user', content: 'Again' },
    ]);
  });

  test('images by URL, by base64, and data URLs as base64', () => {
    const messages: Message[] = [
      {
        role: 'user',
        content: [
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'high' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, cacheControl: { type: 'ephemeral' } },
          { type: 'image', source: { kind: 'url', url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        ],
      },
    ];
    assert.deepEqual(encode({ messages }).messages, [
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }, cache_control: { type: 'ephemeral' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
        ],
      },
    ]);
  });

  test('tool-call arguments that are not a JSON object become {} and the call is kept, so its result still pairs', () => {
    const calls = ['{"city": "Par', '[1, 2]', '', 'null'].map((text, index) => ({ type: 'tool-call' as const, id: `call_${index}`, name: 'weather', arguments: text }));
    const encoded = encode({ messages: [user('Hi'), { role: 'assistant', content: calls }] });
    assert.deepEqual(encoded.messages, [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: calls.map((call) => ({ type: 'tool_use', id: call.id, name: 'weather', input: {} })) },
    ]);
  });

  test('tool results with images or breakpoints are sent as blocks', () => {
    const messages: Message[] = [
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c1',
            toolName: 'screenshot',
            content: [{ type: 'text', text: 'Here' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } }],
            cacheControl: { type: 'ephemeral' },
          },
        ],
      },
    ];
    assert.deepEqual(encode({ messages }).messages, [
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'c1',
            content: [{ type: 'text', text: 'Here' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }],
            cache_control: { type: 'ephemeral' },
          },
        ],
      },
    ]);
  });

  test('tools and tool_choice', () => {
    const tools: ToolDefinition[] = [
      { name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: true },
      { name: 'ping', parameters: {}, cacheControl: { type: 'ephemeral' } },
    ];
    const encoded = encode({ tools, toolChoice: { type: 'required' }, parallelToolCalls: false });
    assert.deepEqual(encoded.tools, [
      { name: 'lookup', description: 'Look up', input_schema: { type: 'object', properties: { q: { type: 'string' } } }, strict: true },
      { name: 'ping', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
    ]);
    assert.deepEqual(encoded.tool_choice, { type: 'any', disable_parallel_tool_use: true });
    assert.deepEqual(encode({ tools, toolChoice: { type: 'tool', name: 'ping' } }).tool_choice, { type: 'tool', name: 'ping' });
    assert.deepEqual(encode({ tools, toolChoice: { type: 'none' }, parallelToolCalls: false }).tool_choice, { type: 'none' });
    assert.deepEqual(encode({ tools, parallelToolCalls: false }).tool_choice, { type: 'auto', disable_parallel_tool_use: true });
    assert.equal(encode({ tools }).tool_choice, undefined);
    assert.equal(encode({ toolChoice: { type: 'auto' } }).tool_choice, undefined, 'no tool_choice without tools');
    assert.equal(encode({ tools: [] }).tools, undefined);
  });

  test('response formats become output_config.format', () => {
    assert.deepEqual(encode({ responseFormat: { type: 'json-object' } }).output_config, { format: { type: 'json_schema', schema: { type: 'object' } } });
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    assert.deepEqual(encode({ responseFormat: { type: 'json-schema', name: 'thing', schema, strict: true } }).output_config, { format: { type: 'json_schema', schema } });
    assert.equal(encode({ responseFormat: { type: 'text' } }).output_config, undefined);
  });

  test('a thinking budget is sent with room for it under max_tokens', () => {
    const encoded = encode({ reasoning: { budgetTokens: 10000 } });
    assert.deepEqual(encoded.thinking, { type: 'enabled', budget_tokens: 10000 });
    assert.equal(encoded.max_tokens, 14096);
    assert.equal(encode({ reasoning: { budgetTokens: 2000 }, sampling: { maxOutputTokens: 8000 } }).max_tokens, 8000);
  });

  test("another format's reasoning effort becomes a thinking budget that fits max_tokens", () => {
    assert.deepEqual(encode({ reasoning: { effort: 'high' } }).thinking, { type: 'enabled', budget_tokens: 8192 });
    assert.equal(encode({ reasoning: { effort: 'high' } }).max_tokens, 8192 + 4096);
    assert.deepEqual(encode({ reasoning: { effort: 'minimal' }, sampling: { maxOutputTokens: 3000 } }).thinking, { type: 'enabled', budget_tokens: 1024 });
    assert.deepEqual(encode({ reasoning: { effort: 'medium' }, sampling: { maxOutputTokens: 3000 } }).thinking, { type: 'enabled', budget_tokens: 2999 });
    const tooSmall = encode({ reasoning: { effort: 'low' }, sampling: { maxOutputTokens: 1000 } });
    assert.equal(tooSmall.thinking, undefined, 'no room for the minimum budget of 1024');
    assert.equal(tooSmall.output_config, undefined);
  });

  test('no thinking budget is derived where Anthropic would refuse thinking', () => {
    assert.equal(encode({ reasoning: { effort: 'high' }, sampling: { temperature: 0.2 } }).thinking, undefined);
    assert.equal(encode({ reasoning: { effort: 'high' }, sampling: { topK: 5 } }).thinking, undefined);
    const tools = [{ name: 'lookup', parameters: { type: 'object' } }];
    assert.equal(encode({ reasoning: { effort: 'high' }, tools, toolChoice: { type: 'required' } }).thinking, undefined);
    assert.equal(encode({ reasoning: { effort: 'high' }, sampling: { temperature: 0.2 } }).max_tokens, 4096);
    assert.deepEqual(encode({ reasoning: { effort: 'low' }, sampling: { temperature: 1 } }).thinking, { type: 'enabled', budget_tokens: 2048 });
  });
});
