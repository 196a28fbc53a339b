import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { Ajv } from 'ajv';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
let client: Anthropic;

before(async () => {
  stack = await startStack();
  client = new Anthropic({ baseURL: stack.bulwark.url, apiKey: stack.key, maxRetries: 0 });
});
after(() => stack.close());

const searchTool = {
  name: 'search_docs',
  description: 'Search the documentation',
  input_schema: {
    type: 'object' as const,
    properties: { query: { type: 'string', minLength: 1 }, limit: { type: 'integer', minimum: 1, maximum: 20 } },
    required: ['query'],
  },
};

describe('the official @anthropic-ai/sdk client through Bulwark', () => {
  for (const model of ['claude', 'gpt', 'gemini', 'bedrock']) {
    test(`message served by ${model}`, async () => {
      const { data, response } = await client.messages
        .create({ model, max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: '[[sim:reply hello anthropic caller]]' }] })
        .withResponse();
      assert.equal(data.type, 'message');
      assert.equal(data.role, 'assistant');
      const first = data.content[0];
      assert.ok(first?.type === 'text');
      assert.equal(first.text, 'hello anthropic caller');
      assert.equal(data.stop_reason, 'end_turn');
      assert.ok(data.usage.input_tokens > 0 && data.usage.output_tokens > 0);
      assert.match(response.headers.get('x-bulwark-provider') ?? '', /^sim-/);
    });

    test(`streamed message served by ${model}`, async () => {
      const stream = client.messages.stream({ model, max_tokens: 256, messages: [{ role: 'user', content: '[[sim:reply alpha beta gamma]]' }] });
      let text = '';
      stream.on('text', (delta) => {
        text += delta;
      });
      const message = await stream.finalMessage();
      assert.equal(text, 'alpha beta gamma');
      assert.equal(message.stop_reason, 'end_turn');
      assert.ok(message.usage.output_tokens > 0);
    });

    test(`forced tool use served by ${model}, streamed`, async () => {
      const message = await client.messages
        .stream({ model, max_tokens: 256, tools: [searchTool], tool_choice: { type: 'tool', name: 'search_docs' }, messages: [{ role: 'user', content: 'find the setup guide' }] })
        .finalMessage();
      const toolUse = message.content.find((block) => block.type === 'tool_use');
      assert.ok(toolUse?.type === 'tool_use');
      assert.equal(toolUse.name, 'search_docs');
      assert.equal(message.stop_reason, 'tool_use');
      const validate = new Ajv().compile(searchTool.input_schema);
      assert.ok(validate(toolUse.input), JSON.stringify(validate.errors));
    });
  }

  test('a tool result round trip across formats (Anthropic caller, OpenAI model)', async () => {
    const first = await client.messages.create({
      model: 'gpt', max_tokens: 256, tools: [searchTool], tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'find it' }],
    });
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    assert.ok(toolUse?.type === 'tool_use');
    const second = await client.messages.create({
      model: 'gpt', max_tokens: 256, tools: [searchTool],
      messages: [
        { role: 'user', content: 'find it' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Setup guide: run npm ci.' }, { type: 'text', text: '[[sim:reply done]]' }] },
      ],
    });
    const answer = second.content[0];
    assert.ok(answer?.type === 'text');
    assert.equal(answer.text, 'done');
  });

  test('models lists in Anthropic shape', async () => {
    const page = await client.models.list();
    const ids = page.data.map((model) => model.id);
    assert.ok(ids.includes('claude') && ids.includes('gpt'));
  });

  test('errors arrive as the SDK error classes', async () => {
    const anonymous = new Anthropic({ baseURL: stack.bulwark.url, apiKey: 'bk_wrong', maxRetries: 0 });
    await assert.rejects(anonymous.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), Anthropic.AuthenticationError);
    await assert.rejects(client.messages.create({ model: 'nope', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), Anthropic.NotFoundError);
    await assert.rejects(
      client.messages.create({ model: 'claude', max_tokens: 'many' as unknown as number, messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /max_tokens/.test(error.message),
    );
  });
});
