import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatResult } from '../../core/model/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeAnthropicResult } from './decode-result.ts';
import { encodeAnthropicResult } from './encode-result.ts';
import { mapAnthropicStopReason, mapFinishReasonToAnthropic } from './map-anthropic-stop-reason.ts';

const decodeFixture = (name: string): Omit<ChatResult, 'created'> => {
  const { created, ...rest } = decodeAnthropicResult(loadFixture(name).payload);
  assert.ok(Number.isInteger(created) && created > 1_700_000_000, 'created is a Unix time in seconds');
  return rest;
};

const message = (overrides: Record<string, unknown> = {}) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'Hi' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 1 },
  ...overrides,
});

const rejectsAsInvalidResponse = (body: unknown): void => {
  assert.throws(
    () => decodeAnthropicResult(body),
    (error: unknown) => error instanceof GatewayError && error.code === 'upstream_invalid_response',
  );
};

describe('decodeAnthropicResult on recorded answers', () => {
  test('a text answer', () => {
    assert.deepEqual(decodeFixture('result-text'), {
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 2095, outputTokens: 503 },
    });
  });

  test('a tool call carries its input as JSON text', () => {
    assert.deepEqual(decodeFixture('result-tool-use'), {
      id: 'msg_019Q1hrJbZG26Fb9BQhrkHEr',
      model: 'claude-sonnet-4-20250514',
      content: [
        { type: 'text', text: "I'll check the current weather in Paris for you." },
        { type: 'tool-call', id: 'toolu_01NRLabsLyVHZPKxbKvkfSMn', name: 'get_weather', arguments: '{"location":"Paris"}' },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_use',
      usage: { inputTokens: 377, outputTokens: 65 },
    });
  });

  test('signed and redacted thinking', () => {
    assert.deepEqual(decodeFixture('result-thinking').content, [
      { type: 'reasoning', text: 'Let me analyze this step by step...', signature: 'WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL....' },
      {
        type: 'reasoning',
        text: '',
        redacted: 'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB9URj2pLmN3kF8/dW5hR7xJ0aP1oLs9yTcMnKVf2wRpEGjH9XZaBt4UvDcPrQ...',
      },
      { type: 'text', text: 'Based on my analysis...' },
    ]);
  });

  test('cache writes and reads count as input tokens and are reported apart', () => {
    assert.deepEqual(decodeFixture('result-prompt-caching').usage, { inputTokens: 21 + 188086, outputTokens: 393, cacheWriteInputTokens: 188086 });
    const read = decodeAnthropicResult(message({ usage: { input_tokens: 21, cache_creation_input_tokens: 0, cache_read_input_tokens: 188086, output_tokens: 393, output_tokens_details: { thinking_tokens: 120 } } }));
    assert.deepEqual(read.usage, { inputTokens: 188107, outputTokens: 393, cachedInputTokens: 188086, reasoningTokens: 120 });
  });

  test('the stop sequence that ended generation is kept', () => {
    const result = decodeAnthropicResult(message({ stop_reason: 'stop_sequence', stop_sequence: '\n\nHuman:' }));
    assert.equal(result.finishReason, 'stop');
    assert.equal(result.stopSequence, '\n\nHuman:');
  });

  test('an Anthropic-compatible answer without type, role or stop_reason still decodes', () => {
    const { type: _type, role: _role, stop_reason: _stopReason, stop_sequence: _stopSequence, ...body } = message();
    const result = decodeAnthropicResult(body);
    assert.equal(result.finishReason, 'other');
    assert.equal(result.rawFinishReason, undefined);
  });

  test('blocks of kinds Bulwark never asks for are skipped', () => {
    const result = decodeAnthropicResult(message({ content: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }, { type: 'text', text: 'Done' }] }));
    assert.deepEqual(result.content, [{ type: 'text', text: 'Done' }]);
  });

  test('malformed answers are upstream_invalid_response', () => {
    rejectsAsInvalidResponse('not json');
    rejectsAsInvalidResponse(message({ usage: undefined }));
    rejectsAsInvalidResponse(message({ content: 'Hi' }));
    rejectsAsInvalidResponse(message({ content: [{ type: 'text' }] }));
    rejectsAsInvalidResponse(message({ content: [{ type: 'tool_use', id: 't', name: 'n', input: '{"a":1}' }] }));
    rejectsAsInvalidResponse(message({ role: 'user' }));
    rejectsAsInvalidResponse(message({ usage: { input_tokens: -1, output_tokens: 1 } }));
  });
});

describe('stop reasons', () => {
  test('each Anthropic stop reason has a canonical meaning', () => {
    const expected = {
      end_turn: 'stop',
      stop_sequence: 'stop',
      max_tokens: 'length',
      model_context_window_exceeded: 'length',
      tool_use: 'tool-calls',
      refusal: 'content-filter',
      pause_turn: 'other',
      something_new: 'other',
    } as const;
    for (const [raw, canonical] of Object.entries(expected)) assert.equal(mapAnthropicStopReason(raw), canonical, raw);
    assert.equal(mapAnthropicStopReason(null), 'other');
  });

  test("canonical reasons map back, and Anthropic's own word wins when it still fits", () => {
    assert.equal(mapFinishReasonToAnthropic('stop'), 'end_turn');
    assert.equal(mapFinishReasonToAnthropic('stop', undefined, 'END'), 'stop_sequence');
    assert.equal(mapFinishReasonToAnthropic('length'), 'max_tokens');
    assert.equal(mapFinishReasonToAnthropic('tool-calls', 'tool_calls'), 'tool_use');
    assert.equal(mapFinishReasonToAnthropic('content-filter', 'content_filter'), 'refusal');
    assert.equal(mapFinishReasonToAnthropic('other', 'pause_turn'), 'pause_turn');
    assert.equal(mapFinishReasonToAnthropic('length', 'model_context_window_exceeded'), 'model_context_window_exceeded');
    assert.equal(mapFinishReasonToAnthropic('stop', 'max_tokens'), 'end_turn', 'a raw reason that contradicts the canonical one is ignored');
    assert.equal(mapFinishReasonToAnthropic('error'), 'end_turn');
  });
});

describe('encodeAnthropicResult', () => {
  test('every recorded answer survives decode → encode → decode', () => {
    for (const name of ['result-text', 'result-tool-use', 'result-thinking', 'result-prompt-caching']) {
      const decoded = decodeAnthropicResult(loadFixture(name).payload);
      const { created: _created, ...again } = decodeAnthropicResult(encodeAnthropicResult(decoded));
      const { created: _original, ...expected } = decoded;
      assert.deepEqual(again, expected, name);
    }
  });

  test('usage is split back into input, cache reads and cache writes', () => {
    const encoded = encodeAnthropicResult({
      id: 'msg_x',
      model: 'm',
      created: 0,
      content: [],
      finishReason: 'stop',
      usage: { inputTokens: 1000, outputTokens: 20, cachedInputTokens: 600, cacheWriteInputTokens: 300, reasoningTokens: 5 },
    });
    assert.deepEqual(encoded.usage, { input_tokens: 100, cache_creation_input_tokens: 300, cache_read_input_tokens: 600, output_tokens: 20, output_tokens_details: { thinking_tokens: 5 } });
  });

  test('an answer from another provider becomes a valid Message', () => {
    const encoded = encodeAnthropicResult({
      id: 'chatcmpl-1',
      model: 'gpt-4o',
      created: 1700000000,
      content: [
        { type: 'reasoning', text: 'unsigned thoughts' },
        { type: 'text', text: 'Calling.' },
        { type: 'tool-call', id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' },
        { type: 'tool-call', id: 'call_2', name: 'lookup', arguments: '{"q":' },
      ],
      finishReason: 'tool-calls',
      rawFinishReason: 'tool_calls',
      usage: { inputTokens: 10, outputTokens: 5 },
    });
    assert.deepEqual(encoded, {
      id: 'chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      content: [
        { type: 'thinking', thinking: 'unsigned thoughts', signature: '' },
        { type: 'text', text: 'Calling.' },
        { type: 'tool_use', id: 'call_1', name: 'lookup', input: { q: 'x' } },
        { type: 'tool_use', id: 'call_2', name: 'lookup', input: {} },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 5 },
    });
  });
});
