import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ChatRequest, JsonSchema } from '../core/model/index.ts';
import { countTextTokens } from './count-tokens.ts';
import { planAnswer, type PlanOptions } from './plan-answer.ts';
import { PromptCache } from './prompt-cache.ts';

const options = (): PlanOptions => ({ promptCache: new PromptCache(), toolCallIdPrefix: 'call_', proseTokens: { min: 20, max: 120 } });

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gpt-4o-mini',
  stream: false,
  sampling: {},
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  ...extra,
});

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer', minimum: 1, maximum: 7 } },
    required: ['city', 'unit'],
    additionalProperties: false,
  } satisfies JsonSchema,
};
const timeTool = { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } satisfies JsonSchema };

test('plain answers are readable prose, deterministic per request, with usage counted', () => {
  const first = planAnswer(ask('Tell me about gateways'), options());
  const again = planAnswer(ask('Tell me about gateways'), options());
  const other = planAnswer(ask('Tell me about caches'), options());
  assert.deepEqual(first, again);
  assert.notEqual(first.text, other.text);
  assert.match(first.text ?? '', /^[A-Z][a-z ,]+.*\.$/);
  assert.equal(first.finishReason, 'stop');
  assert.equal(first.usage.outputTokens, countTextTokens(first.text ?? ''));
  assert.ok(first.usage.inputTokens >= countTextTokens('Tell me about gateways'));
});

test('the model name takes part in the seed', () => {
  assert.notEqual(planAnswer(ask('same'), options()).text, planAnswer({ ...ask('same'), model: 'gpt-4o' }, options()).text);
});

test('[[sim:reply]] answers exactly the given text, and [[sim:length]] sets the length', () => {
  assert.equal(planAnswer(ask('please [[sim:reply Hello, world! ✓]] thanks'), options()).text, 'Hello, world! ✓');
  const long = planAnswer(ask('[[sim:length 300]]'), options());
  assert.ok(countTextTokens(long.text ?? '') >= 300);
});

test('max output tokens truncates the answer and finishes with length', () => {
  const answer = planAnswer(ask('[[sim:length 200]]', { sampling: { maxOutputTokens: 10 } }), options());
  assert.equal(answer.finishReason, 'length');
  assert.equal(answer.usage.outputTokens, 10);
});

test('stop sequences cut the answer and are reported', () => {
  const answer = planAnswer(ask('[[sim:length 100]]', { sampling: { stopSequences: ['.'] } }), options());
  assert.equal(answer.finishReason, 'stop');
  assert.equal(answer.stopSequence, '.');
  assert.ok(!(answer.text ?? '').includes('.'));
});

test('tool_choice required calls a tool with arguments valid against its schema', () => {
  const validate = new Ajv2020({ strict: false }).compile(weatherTool.parameters);
  for (let index = 0; index < 20; index++) {
    const answer = planAnswer(ask(`question ${index}`, { tools: [weatherTool], toolChoice: { type: 'required' } }), options());
    assert.equal(answer.finishReason, 'tool-calls');
    assert.equal(answer.toolCalls.length, 1);
    const call = answer.toolCalls[0];
    assert.equal(call?.name, 'get_weather');
    assert.match(call?.id ?? '', /^call_[a-z0-9]+$/);
    assert.ok(validate(JSON.parse(call?.arguments ?? '')), JSON.stringify(validate.errors));
  }
});

test('tool_choice naming a tool calls that tool; none never calls', () => {
  const tools = [weatherTool, timeTool];
  assert.equal(planAnswer(ask('hi', { tools, toolChoice: { type: 'tool', name: 'get_time' } }), options()).toolCalls[0]?.name, 'get_time');
  assert.deepEqual(planAnswer(ask('use get_weather', { tools, toolChoice: { type: 'none' } }), options()).toolCalls, []);
});

test('under auto a tool is called only when the user mentions it, and not again after its result', () => {
  const tools = [weatherTool, timeTool];
  assert.deepEqual(planAnswer(ask('Hello there', { tools }), options()).toolCalls, []);
  assert.deepEqual(planAnswer(ask('What is the weather? Use get weather.', { tools }), options()).toolCalls.map((call) => call.name), ['get_weather']);
  assert.deepEqual(planAnswer(ask('call get_weather and get_time', { tools }), options()).toolCalls.map((call) => call.name), ['get_weather', 'get_time']);
  assert.equal(planAnswer(ask('call get_weather and get_time', { tools, parallelToolCalls: false }), options()).toolCalls.length, 1);
  const afterResult = ask('call get_weather', { tools });
  afterResult.messages.push(
    { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo","unit":"celsius"}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: [{ type: 'text', text: '12 degrees' }] }] },
  );
  const final = planAnswer(afterResult, options());
  assert.deepEqual(final.toolCalls, []);
  assert.equal(final.finishReason, 'stop');
});

test('json_schema answers are valid against the schema; json_object answers are objects', () => {
  const schema: JsonSchema = { type: 'object', properties: { title: { type: 'string' }, year: { type: 'integer', minimum: 1900, maximum: 2030 } }, required: ['title', 'year'], additionalProperties: false };
  const validate = new Ajv2020({ strict: false }).compile(schema);
  for (let index = 0; index < 20; index++) {
    const answer = planAnswer(ask(`film ${index}`, { responseFormat: { type: 'json-schema', name: 'film', schema } }), options());
    assert.ok(validate(JSON.parse(answer.text ?? '')));
  }
  const loose = JSON.parse(planAnswer(ask('json please', { responseFormat: { type: 'json-object' } }), options()).text ?? '');
  assert.equal(typeof loose, 'object');
  assert.ok(!Array.isArray(loose) && loose !== null);
});

test('a reasoning request gets a short reasoning part counted in output and reasoning tokens', () => {
  const answer = planAnswer(ask('think', { reasoning: { effort: 'high' } }), options());
  assert.match(answer.reasoning ?? '', /^Let me think/);
  assert.equal(answer.usage.reasoningTokens, countTextTokens(answer.reasoning ?? ''));
  assert.equal(answer.usage.outputTokens, (answer.usage.reasoningTokens ?? 0) + countTextTokens(answer.text ?? ''));
  assert.equal(planAnswer(ask('think'), options()).reasoning, undefined);
  const budgeted = planAnswer(ask('think', { reasoning: { budgetTokens: 5 } }), options());
  assert.ok((budgeted.usage.reasoningTokens ?? 0) <= 5);
});

test('special-token strings in the prompt count as text instead of throwing', () => {
  assert.doesNotThrow(() => planAnswer(ask('<|endoftext|> <|im_start|>'), options()));
});
