import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { fastChunkShape, fastCompletionShape } from './fast-response-shape.ts';
import { chatCompletionChunkSchema, chatCompletionSchema } from './response-schemas.ts';

const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs: null, finish_reason: null }] };
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
const completion = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi', refusal: null }, finish_reason: 'stop' }], usage };

describe('fastChunkShape', () => {
  const taken = [chunk, { ...chunk, usage: null }, { ...chunk, choices: [], usage }, { choices: [{ delta: null, finish_reason: 'stop' }] }, {}];
  for (const [index, body] of taken.entries()) {
    test(`takes common chunk ${index}, which the schema accepts`, () => {
      assert.ok(fastChunkShape(body) !== undefined);
      assert.ok(chatCompletionChunkSchema.safeParse(body).success);
    });
  }

  const left = [
    null, [], { ...chunk, id: null }, { ...chunk, created: '1' }, { ...chunk, model: 5 }, { ...chunk, choices: {} },
    { ...chunk, choices: [{ index: 0.5, delta: {} }] }, { ...chunk, choices: [{ delta: { content: 5 } }] },
    { ...chunk, choices: [{ delta: { tool_calls: [] } }] }, { ...chunk, choices: [{ delta: [] }] },
    { ...chunk, choices: [{ delta: {}, finish_reason: 1 }] }, { ...chunk, usage: { prompt_tokens: -1, completion_tokens: 0 } },
    { ...chunk, usage: { prompt_tokens: 1 } }, { ...chunk, usage: { ...usage, prompt_tokens_details: { cached_tokens: 'x' } } },
  ];
  for (const [index, body] of left.entries()) {
    test(`leaves unusual chunk ${index} to the schema`, () => assert.equal(fastChunkShape(body), undefined));
  }
});

describe('fastCompletionShape', () => {
  test('takes the recorded default response and a plain completion, which the schema accepts', () => {
    for (const body of [readFixture('response-default.json'), completion, { ...completion, usage: null }]) {
      assert.ok(fastCompletionShape(body) !== undefined);
      assert.ok(chatCompletionSchema.safeParse(body).success);
    }
  });

  test('leaves tool calls, missing messages and bad fields to the schema', () => {
    const left = [
      readFixture('response-functions.json'), { ...completion, choices: undefined }, { ...completion, choices: [{ finish_reason: 'stop' }] },
      { ...completion, choices: [{ message: null }] }, { ...completion, usage: { prompt_tokens: 1.5, completion_tokens: 1 } }, { ...completion, id: 3 },
    ];
    for (const body of left) assert.equal(fastCompletionShape(body), undefined);
  });
});
