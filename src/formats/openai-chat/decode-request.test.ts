import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest } from '../../core/model/index.ts';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { decodeRequest } from './decode-request.ts';

const asRecord = (value: unknown): Record<string, unknown> => {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value));
  return { ...value };
};

describe('decodeRequest on recorded requests', () => {
  test('the API reference default: developer becomes system', () => {
    const request = decodeRequest(readFixture('request-default.json'));
    assert.deepEqual(request, {
      model: 'gpt-5.6-sol',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello!' }] },
      ],
      sampling: {},
      stream: false,
    } satisfies ChatRequest);
  });

  test('image input: text and image_url parts, max_tokens', () => {
    const request = decodeRequest(readFixture('request-image-input.json'));
    assert.deepEqual(request.messages[0], {
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this image?' },
        {
          type: 'image',
          source: {
            kind: 'url',
            url: 'https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg',
          },
        },
      ],
    });
    assert.deepEqual(request.sampling, { maxOutputTokens: 300 });
  });

  test('functions: tools and tool_choice', () => {
    const request = decodeRequest(readFixture('request-functions.json'));
    assert.equal(request.tools?.length, 1);
    assert.equal(request.tools?.[0]?.name, 'get_current_weather');
    assert.equal(request.tools?.[0]?.description, 'Get the current weather in a given location');
    assert.deepEqual(request.tools?.[0]?.parameters['required'], ['location']);
    assert.deepEqual(request.toolChoice, { type: 'auto' });
    assert.equal(request.providerOptions, undefined);
  });

  test('logprobs: fields without canonical meaning and a non-canonical effort go to providerOptions', () => {
    const request = decodeRequest(readFixture('request-logprobs.json'));
    assert.equal(request.reasoning, undefined);
    assert.deepEqual(request.providerOptions, { 'openai-chat': { reasoning_effort: 'none', logprobs: true, top_logprobs: 2 } });
  });

  test('a tool round: assistant tool_calls with null content, then the tool result', () => {
    const request = decodeRequest(readFixture('request-tool-result.json'));
    assert.deepEqual(request.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'tool-call', id: '123', name: 'numProperties', arguments: '{"a": 1, "b": 2, "c": 3}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: '123', content: [{ type: 'text', text: '3' }] }] },
    ]);
    assert.deepEqual(request.tools, [{ name: 'numProperties', description: 'gets the number of properties on an object', parameters: { type: 'object' } }]);
  });

  test('every parameter of the generated client: legacy functions are refused by name', () => {
    assert.throws(() => decodeRequest(readFixture('request-all-params.json')), { code: 'invalid_request', param: 'functions' });
  });

  test('every parameter of the generated client, without legacy functions', () => {
    const { functions: _functions, function_call: _functionCall, ...body } = asRecord(readFixture('request-all-params.json'));
    const request = decodeRequest(body);
    assert.equal(request.model, 'gpt-5.4');
    assert.deepEqual(request.messages, [{ role: 'system', content: [{ type: 'text', text: 'string' }] }]);
    assert.deepEqual(request.sampling, {
      maxOutputTokens: 0, temperature: 1, topP: 1, stopSequences: ['\n'], seed: -9007199254740991, frequencyPenalty: -2, presencePenalty: -2,
    });
    assert.deepEqual(request.toolChoice, { type: 'none' });
    assert.equal(request.parallelToolCalls, true);
    assert.deepEqual(request.responseFormat, { type: 'text' });
    assert.deepEqual(request.tools, [{ name: 'name', description: 'description', parameters: { foo: 'bar' }, strict: true }]);
    assert.equal(request.user, 'user-1234');
    assert.equal(request.stream, false);
    const options = request.providerOptions?.['openai-chat'];
    assert.deepEqual(Object.keys(options ?? {}).toSorted(), [
      'audio', 'logit_bias', 'logprobs', 'metadata', 'modalities', 'moderation', 'n', 'prediction', 'prompt_cache_key',
      'prompt_cache_options', 'prompt_cache_retention', 'reasoning_effort', 'safety_identifier', 'service_tier', 'store',
      'stream_options', 'top_logprobs', 'verbosity', 'web_search_options',
    ]);
    assert.deepEqual(options?.['stream_options'], { include_obfuscation: true, include_usage: true });
    assert.deepEqual(options?.['web_search_options'], asRecord(readFixture('request-all-params.json'))['web_search_options']);
  });
});

const decodeMessage = (message: unknown) => decodeRequest({ model: 'm', messages: [message] }).messages;

describe('decodeRequest on the parts of the format', () => {

  test('data: URLs become base64 image sources; detail is kept', () => {
    const [message] = decodeMessage({
      role: 'user',
      content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } }],
    });
    assert.deepEqual(message?.content, [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' }]);
  });

  test('assistant refusal and refusal parts are what the assistant said', () => {
    const [fromField] = decodeMessage({ role: 'assistant', content: null, refusal: "I can't help with that." });
    assert.deepEqual(fromField?.content, [{ type: 'text', text: "I can't help with that." }]);
    const [fromPart] = decodeMessage({ role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] });
    assert.deepEqual(fromPart?.content, [{ type: 'text', text: 'No.' }]);
  });

  test('prompt_cache_breakpoint becomes cacheControl', () => {
    const [message] = decodeMessage({
      role: 'system',
      content: [{ type: 'text', text: 'long prefix', prompt_cache_breakpoint: { mode: 'explicit', ttl: '12h' } }],
    });
    assert.deepEqual(message?.content, [{ type: 'text', text: 'long prefix', cacheControl: { type: 'ephemeral', ttl: '12h' } }]);
  });

  test('consecutive tool messages are one turn of results', () => {
    const request = decodeRequest({
      model: 'm',
      messages: [
        { role: 'tool', tool_call_id: 'a', content: 'one' },
        { role: 'tool', tool_call_id: 'b', content: [{ type: 'text', text: 'two' }] },
      ],
    });
    assert.equal(request.messages.length, 1);
    assert.deepEqual(request.messages[0]?.content.map((part) => (part.type === 'tool-result' ? part.toolCallId : '')), ['a', 'b']);
  });

  test('response_format json_schema, stop as a string, a canonical reasoning effort, stream', () => {
    const request = decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object' }, strict: true, description: 'a city' } },
      stop: 'END',
      reasoning_effort: 'high',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 10,
      max_completion_tokens: 20,
    });
    assert.deepEqual(request.responseFormat, { type: 'json-schema', name: 'city', schema: { type: 'object' }, description: 'a city', strict: true });
    assert.deepEqual(request.sampling, { maxOutputTokens: 20, stopSequences: ['END'] });
    assert.deepEqual(request.reasoning, { effort: 'high' });
    assert.equal(request.stream, true);
    assert.deepEqual(request.providerOptions, { 'openai-chat': { stream_options: { include_usage: true } } });
  });

  test('the model may come from the URL context', () => {
    assert.equal(decodeRequest({ messages: [{ role: 'user', content: 'hi' }] }, { model: 'from-path' }).model, 'from-path');
  });

  test('unknown fields are kept for OpenAI to judge', () => {
    const request = decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], brand_new_option: { level: 2 } });
    assert.deepEqual(request.providerOptions, { 'openai-chat': { brand_new_option: { level: 2 } } });
  });
});

describe('decodeRequest on malformed requests', () => {
  const valid = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
  const cases: Array<[string, unknown, string]> = [
    ['not an object', 'hello', ''],
    ['missing messages', { model: 'gpt-4o' }, 'messages'],
    ['empty messages', { ...valid, messages: [] }, 'messages'],
    ['missing model', { messages: valid.messages }, 'model'],
    ['a number for temperature', { ...valid, temperature: 'hot' }, 'temperature'],
    ['temperature out of range', { ...valid, temperature: 3 }, 'temperature'],
    ['a fractional max_tokens', { ...valid, max_tokens: 1.5 }, 'max_tokens'],
    ['stream as a string', { ...valid, stream: 'yes' }, 'stream'],
    ['a bad role', { ...valid, messages: [{ role: 'bot', content: 'hi' }] }, 'messages[0].role'],
    ['the legacy function role', { ...valid, messages: [{ role: 'function', name: 'f', content: 'x' }] }, 'messages[0].role'],
    ['content of the wrong type', { ...valid, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    ['a wrong text part', { ...valid, messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] }, 'messages[0].content[0].text'],
    ['an input_audio part', { ...valid, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA==', format: 'wav' } }] }] }, 'messages[0].content[0].type'],
    ['a file part', { ...valid, messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] }, 'messages[0].content[0].type'],
    ['a data: URL that is not base64', { ...valid, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }] }] }, 'messages[0].content[0].image_url.url'],
    ['a tool message without tool_call_id', { ...valid, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    ['a custom tool call in history', { ...valid, messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', function: { name: 'f', arguments: '' } }] }] }, 'messages[0].tool_calls[0].type'],
    ['a bad tool_choice string', { ...valid, tool_choice: 'sometimes' }, 'tool_choice'],
    ['a tool_choice without function', { ...valid, tool_choice: { type: 'function' } }, 'tool_choice.function'],
    ['a tool_choice naming no tool', { ...valid, tools: [{ type: 'function', function: { name: 'a' } }], tool_choice: { type: 'function', function: { name: 'b' } } }, 'tool_choice.function.name'],
    ['a custom tool', { ...valid, tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type'],
    ['a bad response_format type', { ...valid, response_format: { type: 'yaml' } }, 'response_format.type'],
    ['n = 2', { ...valid, n: 2 }, 'n'],
    ['legacy functions', { ...valid, functions: [{ name: 'f' }] }, 'functions'],
    ['legacy function_call in history', { ...valid, messages: [{ role: 'assistant', content: null, function_call: { name: 'f', arguments: '{}' } }] }, 'messages[0].function_call'],
    ['logprobs as a string', { ...valid, logprobs: 'yes' }, 'logprobs'],
  ];
  for (const [name, body, param] of cases) {
    test(name, () => {
      assert.throws(() => decodeRequest(body), (error: unknown) => {
        assert.ok(error instanceof GatewayError);
        assert.equal(error.code, 'invalid_request');
        assert.equal(error.param, param === '' ? undefined : param);
        if (param !== '') assert.ok(error.message.startsWith(`${param}:`), error.message);
        return true;
      });
    });
  }

  test('n > 1 says so', () => {
    assert.throws(() => decodeRequest({ ...valid, n: 2 }), { message: 'n: n > 1 is not supported' });
  });

  test('unsupported parts are named as unsupported', () => {
    const body = { ...valid, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] };
    assert.throws(() => decodeRequest(body), /"input_audio" are not supported/);
  });
});
