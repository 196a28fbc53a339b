import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatResult } from '../../core/model/index.ts';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { decodeResult } from './decode-result.ts';

describe('decodeResult on recorded answers', () => {
  test('the API reference default, with usage details', () => {
    assert.deepEqual(decodeResult(readFixture('response-default.json')), {
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-5.6-sol',
      created: 1741569952,
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      finishReason: 'stop',
      usage: { inputTokens: 19, outputTokens: 10, cachedInputTokens: 0, reasoningTokens: 0 },
    } satisfies ChatResult);
  });

  test('a tool call with null content', () => {
    const result = decodeResult(readFixture('response-functions.json'));
    assert.deepEqual(result.content, [{ type: 'tool-call', id: 'call_abc123', name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' }]);
    assert.equal(result.finishReason, 'tool-calls');
    assert.equal(result.rawFinishReason, undefined);
    assert.deepEqual(result.usage, { inputTokens: 82, outputTokens: 17, reasoningTokens: 0 });
  });

  test('structured output without usage details', () => {
    const result = decodeResult(readFixture('response-structured-output.json'));
    assert.deepEqual(result.content, [{ type: 'text', text: '{"city":"San Francisco","units":"f"}' }]);
    assert.deepEqual(result.usage, { inputTokens: 17, outputTokens: 10 });
  });
});

const completion = (message: object, extra: object = {}) => ({
  id: 'c', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  ...extra,
});

describe('decodeResult on what compatible servers send', () => {

  test('reasoning_content becomes a reasoning part before the text', () => {
    const result = decodeResult(completion({ content: 'Answer', reasoning_content: 'Thinking' }));
    assert.deepEqual(result.content, [{ type: 'reasoning', text: 'Thinking' }, { type: 'text', text: 'Answer' }]);
  });

  test('a refusal is what the assistant said', () => {
    assert.deepEqual(decodeResult(completion({ content: null, refusal: "I'm sorry" })).content, [{ type: 'text', text: "I'm sorry" }]);
  });

  test('an unknown finish reason is kept raw', () => {
    const body = { ...completion({ content: 'x' }), choices: [{ index: 0, message: { content: 'x' }, finish_reason: 'eos' }] };
    const result = decodeResult(body);
    assert.equal(result.finishReason, 'other');
    assert.equal(result.rawFinishReason, 'eos');
  });

  test('missing usage and cached, cache-write and reasoning details', () => {
    const { usage: _usage, ...withoutUsage } = completion({ content: 'x' });
    assert.deepEqual(decodeResult(withoutUsage).usage, { inputTokens: 0, outputTokens: 0 });
    const detailed = completion({ content: 'x' }, {
      usage: { prompt_tokens: 100, completion_tokens: 50, prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 20 } },
    });
    assert.deepEqual(decodeResult(detailed).usage, { inputTokens: 100, outputTokens: 50, cachedInputTokens: 60, cacheWriteInputTokens: 10, reasoningTokens: 20 });
  });
});

describe('decodeResult on malformed answers', () => {
  const cases: Array<[string, unknown]> = [
    ['not an object', 'oops'],
    ['no choices field', { id: 'x', model: 'm' }],
    ['empty choices', { id: 'x', model: 'm', choices: [] }],
    ['content of the wrong type', { choices: [{ index: 0, message: { content: 5 }, finish_reason: 'stop' }] }],
    ['a tool call without a function', { choices: [{ index: 0, message: { tool_calls: [{ id: 'c', type: 'function' }] }, finish_reason: 'tool_calls' }] }],
    ['negative usage', { choices: [{ index: 0, message: { content: 'x' }, finish_reason: 'stop' }], usage: { prompt_tokens: -1, completion_tokens: 0 } }],
  ];
  for (const [name, body] of cases) {
    test(name, () => {
      assert.throws(() => decodeResult(body), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_invalid_response');
    });
  }

  test('an error body sent with 200 is classified, not called malformed', () => {
    const body = { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } };
    assert.throws(() => decodeResult(body), { code: 'upstream_rate_limited', message: 'Rate limit reached' });
  });
});
