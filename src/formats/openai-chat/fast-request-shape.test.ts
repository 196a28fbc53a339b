import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readFixture } from './__fixtures__/read-fixture.ts';
import { decodeMessages } from './decode-messages.ts';
import { fastRequestShape } from './fast-request-shape.ts';
import { chatCompletionRequestSchema } from './schemas.ts';

const base = { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi', name: 'ann' }] };

/** Bodies the fast path must take: the common shapes. */
const common: Record<string, unknown>[] = [
  base,
  { ...base, max_tokens: 256, temperature: 0.2, top_p: 1, stop: ['\n'], seed: 7, user: 'u', stream: true, stream_options: { include_usage: true } },
  { ...base, max_completion_tokens: null, frequency_penalty: -2, presence_penalty: 2, reasoning_effort: 'xhigh', n: 1, store: false, custom_field: { a: [1] } },
  { ...base, messages: [{ role: 'developer', content: 'x' }, { role: 'user', content: 'y' }, { role: 'assistant', content: 'z' }] },
  readFixture('request-default.json') as Record<string, unknown>,
];

/** Bodies the fast path must leave to the schema: anything unusual, valid or not. */
const unusual: unknown[] = [
  null,
  [],
  'text',
  { model: 'm', messages: [] },
  { model: '', messages: base.messages },
  { model: 'm' },
  { ...base, temperature: 3 },
  { ...base, top_p: -0.1 },
  { ...base, max_tokens: 1.5 },
  { ...base, max_tokens: -1 },
  { ...base, seed: 'x' },
  { ...base, stream: 'yes' },
  { ...base, user: null },
  { ...base, stop: [1] },
  { ...base, stream_options: { include_usage: 'yes' } },
  { ...base, n: 0 },
  { ...base, tools: [] },
  { ...base, response_format: { type: 'text' } },
  { ...base, logit_bias: {} },
  { ...base, max_tokens: undefined },
  { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
  { ...base, messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }] },
  { ...base, messages: [{ role: 'user', content: 'x', extra: 1 }] },
  { ...base, messages: [{ role: 'user', content: 'x', name: 3 }] },
  { ...base, messages: [{ role: 'function', content: 'x' }] },
  { ...base, messages: [{ role: 'user' }] },
  { ...base, messages: ['hi'] },
  readFixture('request-all-params.json'),
  readFixture('request-tool-result.json'),
];

describe('fastRequestShape', () => {
  for (const [index, body] of common.entries()) {
    test(`takes common body ${index}, which the schema accepts with the same messages`, () => {
      const fast = fastRequestShape(body);
      assert.ok(fast !== undefined, 'the fast path should take it');
      const parsed = chatCompletionRequestSchema.safeParse(body);
      assert.ok(parsed.success);
      assert.deepEqual(decodeMessages(fast.messages), decodeMessages(parsed.data.messages));
      for (const key of ['model', 'max_tokens', 'temperature', 'stream', 'stop', 'user'] as const) assert.deepEqual(fast[key], parsed.data[key]);
    });
  }

  for (const [index, body] of unusual.entries()) {
    test(`leaves unusual body ${index} to the schema`, () => {
      assert.equal(fastRequestShape(body), undefined);
    });
  }

  test('never takes a body the schema rejects', () => {
    for (const body of unusual) {
      if (!chatCompletionRequestSchema.safeParse(body).success) assert.equal(fastRequestShape(body), undefined);
    }
  });
});
