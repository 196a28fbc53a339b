import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import OpenAI from 'openai';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
let client: OpenAI;

before(async () => {
  stack = await startStack();
  client = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: stack.key, maxRetries: 0 });
});
after(() => stack.close());

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', minLength: 1 }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

describe('the official openai client through Bulwark', () => {
  for (const model of ['gpt', 'azure-gpt', 'claude', 'gemini', 'bedrock']) {
    test(`chat completion served by ${model}`, async () => {
      const { data, response } = await client.chat.completions
        .create({ model, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say [[sim:reply hello from the simulator]]' }] })
        .withResponse();
      assert.equal(data.object, 'chat.completion');
      assert.equal(data.choices[0]?.message.content, 'hello from the simulator');
      assert.equal(data.choices[0]?.finish_reason, 'stop');
      assert.ok((data.usage?.prompt_tokens ?? 0) > 0);
      assert.ok((data.usage?.completion_tokens ?? 0) > 0);
      assert.match(response.headers.get('x-bulwark-provider') ?? '', /^sim-/);
      assert.equal(response.headers.get('x-bulwark-attempts'), '1');
      assert.match(response.headers.get('x-request-id') ?? '', /\S/);
    });

    test(`streamed chat completion served by ${model}, with usage`, async () => {
      const stream = await client.chat.completions.create({
        model, stream: true, stream_options: { include_usage: true },
        messages: [{ role: 'user', content: '[[sim:reply one two three four five]]' }],
      });
      let text = '';
      let finish: string | null | undefined;
      let usage: OpenAI.CompletionUsage | undefined | null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      assert.equal(text, 'one two three four five');
      assert.equal(finish, 'stop');
      assert.ok((usage?.completion_tokens ?? 0) > 0);
    });

    test(`tool call with arguments valid against the schema, served by ${model}`, async () => {
      const data = await client.chat.completions.create({
        model, tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } },
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      const call = data.choices[0]?.message.tool_calls?.[0];
      assert.equal(data.choices[0]?.finish_reason, 'tool_calls');
      assert.ok(call !== undefined && call.type === 'function');
      assert.equal(call.function.name, 'get_weather');
      const validate = new Ajv().compile(weatherTool.function.parameters);
      assert.ok(validate(JSON.parse(call.function.arguments)), JSON.stringify(validate.errors));
    });
  }

  test('streamed tool-call deltas reassemble into valid arguments (OpenAI → Anthropic)', async () => {
    const stream = client.chat.completions.stream({
      model: 'claude', tools: [weatherTool], tool_choice: 'required', messages: [{ role: 'user', content: 'Weather?' }],
    });
    const completion = await stream.finalChatCompletion();
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.ok(call !== undefined && call.type === 'function');
    assert.deepEqual(Object.keys(JSON.parse(call.function.arguments)).sort(), ['city', 'unit']);
  });

  test('json_schema response format is answered with valid JSON by every family', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 }, score: { type: 'integer', minimum: 0, maximum: 10 } },
      required: ['name', 'tags', 'score'],
      additionalProperties: false,
    };
    const validate = new Ajv().compile(schema);
    for (const model of ['gpt', 'claude', 'gemini', 'bedrock']) {
      const data = await client.chat.completions.create({
        model, response_format: { type: 'json_schema', json_schema: { name: 'review', schema, strict: true } },
        messages: [{ role: 'user', content: 'Review this film.' }],
      });
      const content = data.choices[0]?.message.content ?? '';
      assert.ok(validate(JSON.parse(content)), `${model}: ${content} ${JSON.stringify(validate.errors)}`);
    }
  });

  test('embeddings, as floats and as the SDK default base64', async () => {
    const floats = await client.embeddings.create({ model: 'embedding', input: ['first text', 'second text'], encoding_format: 'float' });
    assert.equal(floats.data.length, 2);
    assert.equal(floats.data[1]?.index, 1);
    assert.ok((floats.data[0]?.embedding.length ?? 0) > 100);
    const defaults = await client.embeddings.create({ model: 'embedding', input: 'first text' });
    assert.equal(defaults.data[0]?.embedding.length, floats.data[0]?.embedding.length);
    assert.ok(Math.abs((defaults.data[0]?.embedding[0] ?? 0) - (floats.data[0]?.embedding[0] ?? 1)) < 1e-6);
    const gemini = await client.embeddings.create({ model: 'gemini-embedding', input: 'first text', encoding_format: 'float' });
    assert.ok((gemini.data[0]?.embedding.length ?? 0) > 100);
  });

  test('models lists the aliases the key may use', async () => {
    const scoped = await stack.bulwark.keys.create({ name: 'scoped', models: ['gpt', 'claude'] });
    const scopedClient = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: scoped.secret, maxRetries: 0 });
    const ids = [];
    for await (const model of scopedClient.models.list()) ids.push(model.id);
    assert.deepEqual(ids.sort(), ['claude', 'gpt']);
    await assert.rejects(scopedClient.chat.completions.create({ model: 'gemini', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.PermissionDeniedError);
      return true;
    });
  });

  test('errors arrive as the SDK error classes', async () => {
    const anonymous = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: 'bk_not-a-real-key', maxRetries: 0 });
    await assert.rejects(anonymous.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }), OpenAI.AuthenticationError);
    await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.match(error.message, /no-such-model/);
      return true;
    });
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt', messages: [{ role: 'wizard' as 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && /messages\[0\]/.test(error.message),
    );
  });
});
