import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest } from '../../core/model/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeAnthropicRequest } from './decode-request.ts';

const decodeFixture = (name: string): ChatRequest => decodeAnthropicRequest(loadFixture(name).payload);

const minimal = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

/** Asserts `body` is refused as `invalid_request` naming `param`, and returns the error's message. */
const rejects = (body: unknown, param: string): string => {
  try {
    decodeAnthropicRequest(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.code, 'invalid_request');
    assert.equal(error.param, param);
    return error.message;
  }
  assert.fail(`expected ${param} to be rejected`);
};

describe('decodeAnthropicRequest on recorded requests', () => {
  test('the API reference example is a single user turn with the required max_tokens', () => {
    assert.deepEqual(decodeFixture('request-basic'), {
      model: 'claude-sonnet-4-5-20250929',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, world' }] }],
      sampling: { maxOutputTokens: 1024 },
      stream: false,
    });
  });

  test('tool_use becomes a tool call and the tool_result a tool message that knows the tool name', () => {
    const request = decodeFixture('request-tool-result');
    assert.deepEqual(request.tools?.[0]?.name, 'get_weather');
    assert.deepEqual(request.tools?.[0]?.parameters.required, ['location']);
    assert.deepEqual(request.messages, [
      { role: 'user', content: [{ type: 'text', text: 'What is the weather like in San Francisco?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: '<thinking>I need to use get_weather, and the user wants SF, which is likely San Francisco, CA.</thinking>' },
          { type: 'tool-call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'toolu_01A09q90qw90lq917835lq9', toolName: 'get_weather', content: [{ type: 'text', text: '15 degrees' }] }],
      },
    ]);
  });

  test('a forced tool_choice and a base64 image', () => {
    const request = decodeFixture('request-tool-choice-image');
    assert.deepEqual(request.toolChoice, { type: 'tool', name: 'record_summary' });
    assert.equal(request.parallelToolCalls, undefined);
    assert.deepEqual(request.messages[0], {
      role: 'user',
      content: [
        { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQSkZJRg...' } },
        { type: 'text', text: 'Describe this image.' },
      ],
    });
  });

  test('an image by URL', () => {
    const request = decodeFixture('request-image-url');
    assert.deepEqual(request.messages[0]?.content[0], {
      type: 'image',
      source: { kind: 'url', url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg' },
    });
  });

  test('system text blocks become the leading system message and keep their cache breakpoint', () => {
    const request = decodeFixture('request-prompt-caching-system');
    assert.deepEqual(request.messages[0], {
      role: 'system',
      content: [
        { type: 'text', text: 'You are an AI assistant tasked with analyzing literary works. Your goal is to provide insightful commentary on themes, characters, and writing style.\n' },
        { type: 'text', text: '<the entire contents of Pride and Prejudice>', cacheControl: { type: 'ephemeral' } },
      ],
    });
    assert.equal(request.messages[1]?.role, 'user');
  });

  test('cache_control on a tool definition survives', () => {
    const request = decodeFixture('request-prompt-caching-tools');
    assert.equal(request.tools?.[0]?.cacheControl, undefined);
    assert.deepEqual(request.tools?.[1]?.cacheControl, { type: 'ephemeral' });
  });

  test('a thinking budget and a signed thinking block passed back', () => {
    const request = decodeFixture('request-thinking-tools');
    assert.deepEqual(request.reasoning, { budgetTokens: 10000 });
    assert.equal(request.providerOptions, undefined);
    assert.deepEqual(request.messages[1]?.content[0], {
      type: 'reasoning',
      text: 'The user wants to know the current weather in Paris. I have access to a function `get_weather`...',
      signature: 'BDaL4VrbR2Oj0hO4XpJxT28J5TILnCrrUXoKiiNBZW9P+nr8XSj1zuZzAl4egiCCpQNvfyUuFFJP5CncdYZEQPPmLxYsNrcs....',
    });
    assert.deepEqual(request.messages[2], {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'toolu_01CswdEQBMshySk6Y9DFKrfq', toolName: 'get_weather', content: [{ type: 'text', text: 'Current temperature: 88°F' }] }],
    });
  });

  test('structured outputs, in the current and in the beta spelling, are a strict json-schema', () => {
    for (const name of ['request-structured-output', 'request-structured-output-beta']) {
      const request = decodeFixture(name);
      assert.equal(request.responseFormat?.type, 'json-schema', name);
      if (request.responseFormat?.type !== 'json-schema') return;
      assert.equal(request.responseFormat.name, 'response');
      assert.equal(request.responseFormat.strict, true);
      assert.deepEqual(request.responseFormat.schema.required, ['name', 'email', 'plan_interest', 'demo_requested']);
      assert.equal(request.providerOptions, undefined, name);
    }
  });
});

describe('decodeAnthropicRequest field by field', () => {
  test('sampling, stop sequences, metadata.user_id and stream', () => {
    const request = decodeAnthropicRequest({
      ...minimal,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['\n\nHuman:'],
      metadata: { user_id: 'user-42' },
      stream: true,
    });
    assert.deepEqual(request.sampling, { maxOutputTokens: 100, temperature: 0.3, topP: 0.9, topK: 40, stopSequences: ['\n\nHuman:'] });
    assert.equal(request.user, 'user-42');
    assert.equal(request.stream, true);
  });

  test('stream and model may come from the route when the body leaves them out', () => {
    const { model: _model, ...withoutModel } = minimal;
    const request = decodeAnthropicRequest(withoutModel, { model: 'from-path', stream: true });
    assert.equal(request.model, 'from-path');
    assert.equal(request.stream, true);
  });

  test('tool results come first in their own message, the rest of the user turn after them', () => {
    const request = decodeAnthropicRequest({
      ...minimal,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Here you go', cache_control: { type: 'ephemeral', ttl: '1h' } },
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'sunny' }], is_error: true, cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages.slice(2), [
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'toolu_1', toolName: 'weather', content: [{ type: 'text', text: 'sunny' }], isError: true, cacheControl: { type: 'ephemeral' } },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Here you go', cacheControl: { type: 'ephemeral', ttl: '1h' } }] },
    ]);
  });

  test('an empty tool result has no content, and a string system prompt is one text part', () => {
    const request = decodeAnthropicRequest({
      ...minimal,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9' }] }],
    });
    assert.deepEqual(request.messages, [
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_9', content: [] }] },
    ]);
  });

  test('redacted thinking keeps its encrypted data', () => {
    const request = decodeAnthropicRequest({
      ...minimal,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'EmwKAhgB' }, { type: 'text', text: 'Hello' }] },
      ],
    });
    assert.deepEqual(request.messages[1]?.content, [
      { type: 'reasoning', text: '', redacted: 'EmwKAhgB' },
      { type: 'text', text: 'Hello' },
    ]);
  });

  test('a system turn inside messages stays where it is', () => {
    const request = decodeAnthropicRequest({ ...minimal, messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: 'Now be formal.' }] });
    assert.deepEqual(request.messages[1], { role: 'system', content: [{ type: 'text', text: 'Now be formal.' }] });
  });

  test('tool_choice: any is required, and disable_parallel_tool_use turns parallel calls off', () => {
    const tools = [{ name: 'lookup', input_schema: { type: 'object' } }];
    const any = decodeAnthropicRequest({ ...minimal, tools, tool_choice: { type: 'any', disable_parallel_tool_use: true } });
    assert.deepEqual(any.toolChoice, { type: 'required' });
    assert.equal(any.parallelToolCalls, false);
    const auto = decodeAnthropicRequest({ ...minimal, tools, tool_choice: { type: 'auto', disable_parallel_tool_use: false } });
    assert.deepEqual(auto.toolChoice, { type: 'auto' });
    assert.equal(auto.parallelToolCalls, true);
    assert.deepEqual(decodeAnthropicRequest({ ...minimal, tools, tool_choice: { type: 'none' } }).toolChoice, { type: 'none' });
  });

  test('a tool with type custom and strict is a plain function tool', () => {
    const request = decodeAnthropicRequest({
      ...minimal,
      tools: [{ type: 'custom', name: 'lookup', description: 'Look up', input_schema: { type: 'object' }, strict: true }],
    });
    assert.deepEqual(request.tools, [{ name: 'lookup', description: 'Look up', parameters: { type: 'object' }, strict: true }]);
  });

  test('the schema {type: object} is json-object mode, and a titled schema is named by its title', () => {
    const object = decodeAnthropicRequest({ ...minimal, output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } });
    assert.deepEqual(object.responseFormat, { type: 'json-object' });
    const titled = decodeAnthropicRequest({ ...minimal, output_format: { type: 'json_schema', schema: { title: 'Contact', type: 'object', properties: {} } } });
    assert.equal(titled.responseFormat?.type === 'json-schema' ? titled.responseFormat.name : undefined, 'Contact');
  });

  test('unknown fields and thinking settings without a canonical meaning travel in providerOptions', () => {
    const request = decodeAnthropicRequest({
      ...minimal,
      service_tier: 'standard_only',
      container: { id: 'container_1' },
      thinking: { type: 'adaptive', display: 'summarized' },
      output_config: { effort: 'high' },
      metadata: { user_id: 'u1', team: 'search' },
    });
    assert.deepEqual(request.reasoning, { effort: 'high' });
    assert.equal(request.user, 'u1');
    assert.deepEqual(request.providerOptions, {
      'anthropic-messages': {
        service_tier: 'standard_only',
        container: { id: 'container_1' },
        thinking: { type: 'adaptive', display: 'summarized' },
        output_config: { effort: 'high' },
        metadata: { team: 'search' },
      },
    });
  });

  test('enabled thinking with display keeps the budget canonical and display as an option', () => {
    const request = decodeAnthropicRequest({ ...minimal, max_tokens: 16000, thinking: { type: 'enabled', budget_tokens: 4000, display: 'omitted' } });
    assert.deepEqual(request.reasoning, { budgetTokens: 4000 });
    assert.deepEqual(request.providerOptions, { 'anthropic-messages': { thinking: { type: 'enabled', display: 'omitted' } } });
  });
});

describe('decodeAnthropicRequest refuses malformed requests', () => {
  test('max_tokens is required', () => {
    const { max_tokens: _maxTokens, ...body } = minimal;
    assert.match(rejects(body, 'max_tokens'), /max_tokens: is required/);
    rejects({ ...minimal, max_tokens: 0 }, 'max_tokens');
    rejects({ ...minimal, max_tokens: 1.5 }, 'max_tokens');
  });

  test('model is required when the route does not name one', () => {
    const { model: _model, ...body } = minimal;
    rejects(body, 'model');
  });

  test('document, search_result and server tool blocks are named as unsupported', () => {
    const document = { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } };
    assert.match(rejects({ ...minimal, messages: [{ role: 'user', content: [{ type: 'text', text: 'Read' }, document] }] }, 'messages[0].content[1].type'), /'document' is not supported/);
    const searchResult = { type: 'tool_result', tool_use_id: 't', content: [{ type: 'search_result', source: 's', title: 't', content: [] }] };
    assert.match(rejects({ ...minimal, messages: [{ role: 'user', content: [searchResult] }] }, 'messages[0].content[0].content[0].type'), /'search_result'/);
    const serverToolUse = { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} };
    assert.match(rejects({ ...minimal, messages: [{ role: 'assistant', content: [serverToolUse] }] }, 'messages[0].content[0].type'), /'server_tool_use'/);
  });

  test('server tools are refused by their type', () => {
    const message = rejects({ ...minimal, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] }, 'tools[0].type');
    assert.match(message, /web_search_20250305/);
    rejects({ ...minimal, tools: [{ name: 'no_schema' }] }, 'tools[0].input_schema');
  });

  test('image sources other than base64 and url are refused', () => {
    rejects({ ...minimal, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }] }, 'messages[0].content[0].source.type');
  });

  test('blocks in the wrong turn are refused', () => {
    rejects({ ...minimal, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] }] }, 'messages[0].content[0].type');
    rejects({ ...minimal, messages: [{ role: 'user', content: [{ type: 'thinking', thinking: 't', signature: 's' }] }] }, 'messages[0].content[0].type');
    rejects({ ...minimal, messages: [{ role: 'assistant', content: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }] }, 'messages[0].content[0].type');
    rejects({ ...minimal, messages: [{ role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 't' }] }] }, 'messages[0].content[0].type');
  });

  test('wrong shapes name the field', () => {
    rejects({ ...minimal, messages: [] }, 'messages');
    rejects({ ...minimal, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role');
    rejects({ ...minimal, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content');
    rejects({ ...minimal, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text');
    rejects({ ...minimal, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input: 'not an object' }] }] }, 'messages[0].content[0].input');
    rejects({ ...minimal, tool_choice: { type: 'tool' } }, 'tool_choice.name');
    rejects({ ...minimal, temperature: 'hot' }, 'temperature');
    rejects({ ...minimal, system: [{ type: 'image', source: { type: 'url', url: 'https://x' } }] }, 'system[0].type');
  });

  test('a body that is not an object is refused', () => {
    assert.throws(() => decodeAnthropicRequest([1, 2]), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request');
    assert.throws(() => decodeAnthropicRequest(null), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request');
  });
});
