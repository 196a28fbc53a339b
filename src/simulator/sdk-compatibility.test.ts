import assert from 'node:assert/strict';
import { test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { withSimulator } from './simulator-test-support.ts';

const weatherParameters = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
  required: ['city', 'unit'],
  additionalProperties: false,
};

test('the official OpenAI and Anthropic SDKs talk to the simulator directly: create, stream, tools', async () => {
  await withSimulator({}, async ({ url }) => {
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
    const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '[[sim:reply Hi from OpenAI]]' }] });
    assert.equal(completion.choices[0]?.message.content, 'Hi from OpenAI');
    assert.ok((completion.usage?.prompt_tokens ?? 0) > 0);

    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: '[[sim:reply streamed via the SDK]]' }] });
    let streamed = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      streamed += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    assert.equal(streamed, 'streamed via the SDK');
    assert.ok((usage?.completion_tokens ?? 0) > 0);

    const toolCall = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is the weather in Oslo?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: weatherParameters } }],
      tool_choice: 'required',
    });
    const call = toolCall.choices[0]?.message.tool_calls?.[0];
    assert.equal(toolCall.choices[0]?.finish_reason, 'tool_calls');
    assert.ok(call?.type === 'function' && call.function.name === 'get_weather');
    assert.ok(['celsius', 'fahrenheit'].includes(JSON.parse(call.function.arguments).unit));

    const anthropic = new Anthropic({ baseURL: url, apiKey: 'x', maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user', content: '[[sim:reply Hi from Anthropic]]' }] });
    assert.deepEqual(message.content.map((block) => (block.type === 'text' ? block.text : block.type)), ['Hi from Anthropic']);
    assert.equal(message.stop_reason, 'end_turn');

    const messageStream = anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user', content: '[[sim:reply a streamed answer]]' }] });
    let deltas = '';
    messageStream.on('text', (text) => { deltas += text; });
    const final = await messageStream.finalMessage();
    assert.equal(deltas, 'a streamed answer');
    assert.ok(final.usage.output_tokens > 0);

    const toolUse = await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'Use get_weather for Oslo' }],
      tools: [{ name: 'get_weather', input_schema: { ...weatherParameters, type: 'object' } }],
    });
    assert.equal(toolUse.stop_reason, 'tool_use');
    const use = toolUse.content.find((block) => block.type === 'tool_use');
    assert.ok(use?.type === 'tool_use' && use.name === 'get_weather');
  });
});
