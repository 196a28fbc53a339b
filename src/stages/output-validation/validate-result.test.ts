import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { AssistantContentPart, ChatRequest, ChatResult, FinishReason, JsonSchema, ResponseFormat, ToolDefinition } from '../../core/model/index.ts';
import { readFixture } from '../../formats/openai-chat/__fixtures__/read-fixture.ts';
import { openaiChatFormat } from '../../formats/openai-chat/index.ts';
import { compileOutputValidationRules } from './compile-output-validation-rules.ts';
import { outputValidationOptionsSchema } from './output-validation-options.ts';
import { createSchemaValidatorCache } from './schema-validator-cache.ts';
import { validateResult } from './validate-result.ts';

interface RecordedStructuredOutput {
  name: string;
  schema: JsonSchema;
  content: string;
}
const recorded = (JSON.parse(readFileSync(new URL('./__fixtures__/openai-structured-outputs.json', import.meta.url), 'utf8')) as {
  payload: Record<'ui' | 'contactPerson', RecordedStructuredOutput>;
}).payload;

const request = (fields: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'gpt-test', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], sampling: {}, stream: false, ...fields });
const result = (content: AssistantContentPart[], finishReason: FinishReason = 'stop'): ChatResult => ({ id: 'r1', model: 'gpt-test', created: 0, content, finishReason, usage: { inputTokens: 1, outputTokens: 1 } });
const text = (value: string, finishReason: FinishReason = 'stop'): ChatResult => result([{ type: 'text', text: value }], finishReason);
const jsonSchema = (schema: JsonSchema, name = 'answer'): ResponseFormat => ({ type: 'json-schema', name, schema });
const rules = (options: unknown) => compileOutputValidationRules(outputValidationOptionsSchema.parse(options));

const personSchema: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
};
const weatherTool: ToolDefinition = {
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('json-schema responses', () => {
  for (const [key, fixture] of Object.entries(recorded)) {
    test(`a recorded structured output (${key}: draft-07, $ref into definitions) is valid against its schema`, () => {
      assert.equal(validateResult(request({ responseFormat: jsonSchema(fixture.schema, fixture.name) }), text(fixture.content)), undefined);
    });
  }

  test('the recorded recursive UI output with a child of a type outside the enum is a schema mismatch', () => {
    const broken = recorded.ui.content.replace('"type":"button"', '"type":"table"');
    const failure = validateResult(request({ responseFormat: jsonSchema(recorded.ui.schema, 'ui') }), text(broken));
    assert.equal(failure?.reason, 'schema-mismatch');
    assert.match(failure?.message ?? '', /allowed values \(schema path #\/properties\/type\/enum\)/);
  });

  test('a structured output decoded by the OpenAI codec from a recorded response is valid', () => {
    const decoded = openaiChatFormat.decodeResult(readFixture('response-structured-output.json'));
    const location: JsonSchema = { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'units'], additionalProperties: false };
    assert.equal(validateResult(request({ responseFormat: jsonSchema(location, 'location') }), decoded), undefined);
    const celsiusOnly = { ...location, properties: { city: { type: 'string' }, units: { const: 'c' } } };
    assert.equal(validateResult(request({ responseFormat: jsonSchema(celsiusOnly, 'location') }), decoded)?.reason, 'schema-mismatch');
  });

  test('text that is not JSON fails without quoting the text', () => {
    const failure = validateResult(request({ responseFormat: jsonSchema(personSchema) }), text('Sure! Jane Doe, jane@example.com'));
    assert.equal(failure?.reason, 'invalid-json');
    assert.doesNotMatch(failure?.message ?? '', /Jane|example/);
  });

  test('JSON in a markdown fence is not JSON', () => {
    assert.equal(validateResult(request({ responseFormat: jsonSchema(personSchema) }), text('```json\n{"name":"a","age":1}\n```'))?.reason, 'invalid-json');
  });

  test('a schema mismatch names the schema rule, not the offending value or key', () => {
    const failure = validateResult(request({ responseFormat: jsonSchema(personSchema) }), text('{"name":"Jane","age":-4}'));
    assert.equal(failure?.reason, 'schema-mismatch');
    assert.match(failure?.message ?? '', /must be >= 0/);
    assert.doesNotMatch(failure?.message ?? '', /Jane|-4/);
    const extra = validateResult(request({ responseFormat: jsonSchema(personSchema) }), text('{"name":"J","age":4,"ssn-123-45-6789":1}'));
    assert.equal(extra?.reason, 'schema-mismatch');
    assert.doesNotMatch(extra?.message ?? '', /6789/);
  });

  test('split text parts are joined before parsing', () => {
    const parts: AssistantContentPart[] = [{ type: 'text', text: '{"name":"Jane",' }, { type: 'text', text: '"age":30}' }];
    assert.equal(validateResult(request({ responseFormat: jsonSchema(personSchema) }), result(parts)), undefined);
  });

  test('an answer cut off by length or a content filter is not held to the format', () => {
    const format = { responseFormat: jsonSchema(personSchema) };
    assert.equal(validateResult(request(format), text('{"name":"Ja', 'length')), undefined);
    assert.equal(validateResult(request(format), text('', 'content-filter')), undefined);
    assert.equal(validateResult(request(format), text('{"name":"Ja', 'other'))?.reason, 'invalid-json');
  });

  test('a schema ajv cannot compile is not held against the output', () => {
    assert.equal(validateResult(request({ responseFormat: jsonSchema({ type: 'no-such-type' }) }), text('{}')), undefined);
    assert.equal(validateResult(request({ responseFormat: jsonSchema({ type: 'no-such-type' }) }), text('nope'))?.reason, 'invalid-json');
  });

  test('a tool call instead of an answer is not held to the response format', () => {
    const call = result([{ type: 'tool-call', id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' }], 'tool-calls');
    assert.equal(validateResult(request({ responseFormat: jsonSchema(personSchema), tools: [weatherTool] }), call), undefined);
  });
});

describe('json-object responses', () => {
  const jsonObject = request({ responseFormat: { type: 'json-object' } });

  test('an object passes', () => {
    assert.equal(validateResult(jsonObject, text(' {"anything": [1, 2]}\n')), undefined);
  });

  test('valid JSON that is not an object fails', () => {
    for (const value of ['[1,2]', '"text"', '42', 'null']) assert.equal(validateResult(jsonObject, text(value))?.reason, 'not-json-object', value);
  });

  test('malformed JSON fails', () => {
    for (const value of ['{"a":', "{'a': 1}", '{"a":1}}', '']) {
      assert.equal(validateResult(jsonObject, text(value))?.reason, value === '' ? 'empty-output' : 'invalid-json', value);
    }
  });

  test('a text request is never parsed', () => {
    assert.equal(validateResult(request({ responseFormat: { type: 'text' } }), text('not json')), undefined);
    assert.equal(validateResult(request(), text('not json')), undefined);
  });
});

const call = (name: string, args: string): ChatResult => result([{ type: 'tool-call', id: 'c1', name, arguments: args }], 'tool-calls');

describe('tool calls', () => {
  const withTool = request({ tools: [weatherTool] });

  test('arguments valid against the tool parameters pass', () => {
    assert.equal(validateResult(withTool, call('get_weather', '{"city":"Oslo"}')), undefined);
  });

  test('a recorded OpenAI tool call decoded by the codec passes; a broken copy of it fails', () => {
    const toolRequest = openaiChatFormat.decodeRequest(readFixture('request-functions.json'));
    const decoded = openaiChatFormat.decodeResult(readFixture('response-functions.json'));
    assert.equal(validateResult(toolRequest, decoded), undefined);
    const wrongUnit = { ...decoded, content: decoded.content.map((part) => (part.type === 'tool-call' ? { ...part, arguments: '{"location":"Boston, MA","unit":"kelvin"}' } : part)) };
    assert.equal(validateResult(toolRequest, wrongUnit)?.reason, 'tool-arguments-schema-mismatch');
  });

  test('arguments that are not JSON fail', () => {
    const failure = validateResult(withTool, call('get_weather', '{"city": Oslo}'));
    assert.equal(failure?.reason, 'invalid-tool-arguments');
    assert.doesNotMatch(failure?.message ?? '', /Oslo/);
  });

  test('arguments missing a required parameter fail', () => {
    assert.equal(validateResult(withTool, call('get_weather', '{"town":"Oslo"}'))?.reason, 'tool-arguments-schema-mismatch');
  });

  test('a call to a tool the request does not define fails without naming it', () => {
    const failure = validateResult(withTool, call('delete_everything', '{}'));
    assert.equal(failure?.reason, 'unknown-tool');
    assert.doesNotMatch(failure?.message ?? '', /delete_everything/);
    assert.equal(validateResult(request(), call('get_weather', '{"city":"Oslo"}'))?.reason, 'unknown-tool');
  });

  test('empty argument text counts as no arguments', () => {
    const noParameters = request({ tools: [{ name: 'now', parameters: { type: 'object', properties: {} } }] });
    assert.equal(validateResult(noParameters, call('now', '')), undefined);
    assert.equal(validateResult(withTool, call('get_weather', ''))?.reason, 'tool-arguments-schema-mismatch');
  });

  test('the second of two calls is checked too', () => {
    const two = result([
      { type: 'tool-call', id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'tool-call', id: 'c2', name: 'get_weather', arguments: '{"city":3}' },
    ], 'tool-calls');
    assert.match(validateResult(withTool, two)?.message ?? '', /tool call 2/);
  });
});

describe('empty output', () => {
  test('no text and no tool calls with finish reason stop fails', () => {
    assert.equal(validateResult(request(), result([]))?.reason, 'empty-output');
    assert.equal(validateResult(request(), text('  \n'))?.reason, 'empty-output');
    assert.equal(validateResult(request(), result([{ type: 'reasoning', text: 'thinking...' }]))?.reason, 'empty-output');
  });

  test('an empty answer with another finish reason is left to that reason', () => {
    assert.equal(validateResult(request(), result([], 'length')), undefined);
    assert.equal(validateResult(request(), result([], 'content-filter')), undefined);
  });
});

describe('configured rules', () => {
  test('maxOutputCharacters counts text and tool-call arguments', () => {
    const limit = rules({ maxOutputCharacters: 10 });
    assert.equal(validateResult(request(), text('0123456789'), limit), undefined);
    const failure = validateResult(request(), text('0123456789A'), limit);
    assert.equal(failure?.reason, 'too-long');
    assert.match(failure?.message ?? '', /11 characters.*limit is 10/);
    const withCall = result([{ type: 'text', text: '01234' }, { type: 'tool-call', id: 'c', name: 'get_weather', arguments: '{"city":"Oslo"}' }], 'tool-calls');
    assert.equal(validateResult(request({ tools: [weatherTool] }), withCall, limit)?.reason, 'too-long');
  });

  test('the length limit applies even to an answer cut off by length', () => {
    assert.equal(validateResult(request(), text('x'.repeat(20), 'length'), rules({ maxOutputCharacters: 10 }))?.reason, 'too-long');
  });

  test('requiredFields must be present in a JSON answer; null counts as present', () => {
    const required = rules({ requiredFields: ['customer.name', 'items.0.sku'] });
    const format = request({ responseFormat: { type: 'json-object' } });
    assert.equal(validateResult(format, text('{"customer":{"name":null},"items":[{"sku":"A1"}]}'), required), undefined);
    const missingName = validateResult(format, text('{"customer":{},"items":[{"sku":"A1"}]}'), required);
    assert.equal(missingName?.reason, 'missing-required-field');
    assert.match(missingName?.message ?? '', /"customer\.name"/);
    assert.equal(validateResult(format, text('{"customer":{"name":"x"},"items":[]}'), required)?.reason, 'missing-required-field');
    assert.equal(validateResult(format, text('{"customer":"name","items":[{"sku":1}]}'), required)?.reason, 'missing-required-field');
  });

  test('requiredFields also apply after a json-schema check, and not to text answers', () => {
    const required = rules({ requiredFields: ['nickname'] });
    assert.equal(validateResult(request({ responseFormat: jsonSchema({ type: 'object' }) }), text('{"name":"a"}'), required)?.reason, 'missing-required-field');
    assert.equal(validateResult(request(), text('{"name":"a"}'), required), undefined);
  });

  test('a prohibited pattern anywhere in text, tool arguments or reasoning fails, naming the pattern by number', () => {
    const prohibited = rules({ prohibitedPatterns: ['\\b\\d{3}-\\d{2}-\\d{4}\\b', '(?i:internal use only)'] });
    assert.equal(validateResult(request(), text('All clear.'), prohibited), undefined);
    const ssn = validateResult(request(), text('Her SSN is 123-45-6789.'), prohibited);
    assert.equal(ssn?.reason, 'prohibited-pattern');
    assert.match(ssn?.message ?? '', /#1/);
    assert.doesNotMatch(ssn?.message ?? '', /6789/);
    assert.match(validateResult(request(), text('INTERNAL USE ONLY: ...'), prohibited)?.message ?? '', /#2/);
    const inArguments = result([{ type: 'tool-call', id: 'c', name: 'get_weather', arguments: '{"city":"123-45-6789"}' }], 'tool-calls');
    assert.equal(validateResult(request({ tools: [weatherTool] }), inArguments, prohibited)?.reason, 'prohibited-pattern');
    const inReasoning = result([{ type: 'reasoning', text: 'internal use only' }, { type: 'text', text: 'ok' }]);
    assert.equal(validateResult(request(), inReasoning, prohibited)?.reason, 'prohibited-pattern');
  });

  test('a pattern is tested the same way on every call (no lastIndex state)', () => {
    const prohibited = rules({ prohibitedPatterns: ['secret'] });
    for (let index = 0; index < 3; index += 1) assert.equal(validateResult(request(), text('a secret'), prohibited)?.reason, 'prohibited-pattern');
  });
});

test('an injected schema cache is the one used', () => {
  const schemas = createSchemaValidatorCache(4);
  validateResult(request({ responseFormat: jsonSchema(personSchema) }), text('{"name":"a","age":1}'), undefined, schemas);
  assert.equal(schemas.size, 1);
});
