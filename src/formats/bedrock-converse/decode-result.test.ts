import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatResult, JsonObject } from '../../core/model/index.ts';
import { bedrockConverseFormat, createBedrockConverseFormat, jsonResponseToolName } from './index.ts';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.ts';
import { loadFixture } from './test-support.ts';

/** The id is random and `created` is the clock: compare the rest. */
const stable = (result: ChatResult): Omit<ChatResult, 'id' | 'created'> => {
  const { id, created, ...rest } = result;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.ok(Number.isInteger(created));
  return rest;
};

test('decodes a recorded answer with signed reasoning', () => {
  const result = bedrockConverseFormat.decodeResult(loadFixture('result-reasoning.json').payload);
  assert.deepEqual(stable(result), {
    model: '',
    content: [
      {
        type: 'reasoning',
        text: 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r\'s.',
        signature:
          'EvYBCkgICxABGAIqQA9E9VC377UnbjdfXCw4RwQaaIXsqocZKzI3WwWtXT/wBjzAkBOfIiVkP/mhvsPGb5oQW/2j+E1tZcNFoXIb26YSDBTSbDrbHwXJoAl3/hoMA/Qo4rIHvObP/yBrIjAT+l69mh9k7evFO+w+ransSD5YGq4hYrieOyJH3k/zHv8nBJwiz3Nlrb3jNFi2Ib0qXJH7BIK0hR85yYIoccReoJUpeLEMxeWbsO6f0EpOSMSi3YDLd1U9NAw7Itjeay1fEBPHwvawt2M4e/rn52SsuEz3p2DfOZm+N3bnL63rg0Cb9lFcp3k5kuU1h6hcGAE=',
      },
      { type: 'text', text: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y' },
    ],
    finishReason: 'stop',
    rawFinishReason: 'end_turn',
    usage: { inputTokens: 51, outputTokens: 78, cachedInputTokens: 0, cacheWriteInputTokens: 0 },
  });
});

test('decodes a recorded tool call; a null stop_sequence is no stop sequence', () => {
  const result = bedrockConverseFormat.decodeResult(loadFixture('result-tool-use.json').payload);
  assert.deepEqual(result.content, [
    { type: 'tool-call', id: 'tooluse_j6gIgqF8PljNKBylAe15oP', name: 'querySalesforce', arguments: '{"query":"SELECT Id FROM Account"}' },
  ]);
  assert.equal(result.finishReason, 'tool-calls');
  assert.equal(result.stopSequence, undefined);
});

test('decodes native structured output as text', () => {
  const result = bedrockConverseFormat.decodeResult(loadFixture('result-structured-output.json').payload);
  assert.equal(result.content.length, 1);
  assert.equal(result.content[0]?.type, 'text');
  assert.deepEqual(JSON.parse(result.content[0]?.type === 'text' ? result.content[0].text : ''), {
    assignments: [
      { category: 'a', id: 'see_you_tuesday' },
      { category: 'b', id: 'can_everyone_hear_me' },
    ],
    entities: [],
    relations: [],
  });
});

test('turns the reserved answer tool into text in tool mode only', () => {
  const payload = loadFixture<JsonObject>('result-json-tool.json').payload;
  const renamed = JSON.parse(JSON.stringify(payload).replace('"name":"json"', `"name":"${jsonResponseToolName}"`)) as JsonObject;
  const toolMode = createBedrockConverseFormat({ structuredOutput: 'tool' }).decodeResult(renamed);
  assert.equal(toolMode.finishReason, 'stop');
  assert.equal(toolMode.rawFinishReason, 'tool_use');
  assert.deepEqual(toolMode.content, [
    {
      type: 'text',
      text: '{"assignments":[{"category":"a","id":"see you Tuesday"},{"category":"b","id":"can everyone hear me"}],"entities":[{"name":"see you Tuesday"},{"name":"can everyone hear me"}],"relations":[]}',
    },
  ]);
  const native = bedrockConverseFormat.decodeResult(renamed);
  assert.equal(native.finishReason, 'tool-calls');
  assert.equal(native.content[0]?.type, 'tool-call');
});

test('decodes the SDK minimal shape: no message, cache usage added into input', () => {
  const result = bedrockConverseFormat.decodeResult(loadFixture('result-minimal-sdk-shape.json').payload);
  assert.deepEqual(result.content, []);
  assert.equal(result.finishReason, 'length');
  const cached = bedrockConverseFormat.decodeResult({
    output: { message: { role: 'assistant', content: [{ text: 'ok' }] } },
    stopReason: 'stop_sequence',
    usage: { inputTokens: 10, outputTokens: 2, totalTokens: 1512, cacheReadInputTokens: 1000, cacheWriteInputTokens: 500 },
    additionalModelResponseFields: { stop_sequence: 'END' },
  });
  assert.deepEqual(cached.usage, { inputTokens: 1510, outputTokens: 2, cachedInputTokens: 1000, cacheWriteInputTokens: 500 });
  assert.equal(cached.stopSequence, 'END');
  assert.equal(cached.finishReason, 'stop');
});

test('maps every stop reason', () => {
  assert.equal(mapBedrockStopReason('end_turn'), 'stop');
  assert.equal(mapBedrockStopReason('stop_sequence'), 'stop');
  assert.equal(mapBedrockStopReason('tool_use'), 'tool-calls');
  assert.equal(mapBedrockStopReason('max_tokens'), 'length');
  assert.equal(mapBedrockStopReason('model_context_window_exceeded'), 'length');
  assert.equal(mapBedrockStopReason('guardrail_intervened'), 'content-filter');
  assert.equal(mapBedrockStopReason('content_filtered'), 'content-filter');
  assert.equal(mapBedrockStopReason('malformed_tool_use'), 'error');
  assert.equal(mapBedrockStopReason('toString'), 'other');
  assert.equal(mapBedrockStopReason('something_new'), 'other');
});

test('reports a malformed answer as upstream_invalid_response', () => {
  for (const body of [
    undefined,
    '<html>',
    { output: {}, stopReason: 'end_turn' },
    { output: {}, stopReason: 'end_turn', usage: { inputTokens: -1, outputTokens: 0 } },
    { output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'a', name: 'b' } }] } }, stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 1 } },
  ]) {
    assert.throws(
      () => bedrockConverseFormat.decodeResult(body),
      (error: unknown) => error instanceof GatewayError && error.code === 'upstream_invalid_response',
    );
  }
});
