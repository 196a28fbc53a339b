import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest, StreamEvent } from '../../core/model/index.ts';
import { readStreamFixture } from '../../formats/openai-chat/__fixtures__/read-fixture.ts';
import { openaiChatFormat } from '../../formats/openai-chat/index.ts';
import { compileOutputValidationRules, noOutputValidationRules, type OutputValidationRules } from './compile-output-validation-rules.ts';
import { outputValidationOptionsSchema } from './output-validation-options.ts';
import { createSchemaValidatorCache } from './schema-validator-cache.ts';
import { validateStream } from './validate-stream.ts';
import type { ValidationFailure } from './validation-failure.ts';

const request = (fields: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [], sampling: {}, stream: true, ...fields });
const start: StreamEvent = { type: 'stream-start', id: 's', model: 'm', created: 0 };
const finish: StreamEvent = { type: 'finish', finishReason: 'stop' };
const usage: StreamEvent = { type: 'usage', usage: { inputTokens: 4, outputTokens: 9 } };

const run = async (events: StreamEvent[], chatRequest: ChatRequest, rules: OutputValidationRules = noOutputValidationRules) => {
  const failures: ValidationFailure[] = [];
  const source = (async function* () {
    yield* events;
  })();
  const output: StreamEvent[] = [];
  for await (const event of validateStream(source, { request: chatRequest, rules, schemas: createSchemaValidatorCache(), onFailure: (failure) => failures.push(failure) })) output.push(event);
  return { output, failures };
};

test('a recorded OpenAI structured-output stream, decoded by the codec, passes unchanged', async () => {
  const decoder = openaiChatFormat.createStreamDecoder();
  const events = [...decoder.push(new TextEncoder().encode(readStreamFixture('stream-structured-output.json'))), ...decoder.end()];
  const location = { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'units'] };
  const { output, failures } = await run(events, request({ responseFormat: { type: 'json-schema', name: 'location', schema: location } }));
  assert.deepEqual(output, events);
  assert.deepEqual(failures, []);
  const { failures: againstOther } = await run(events, request({ responseFormat: { type: 'json-schema', name: 'n', schema: { type: 'object', required: ['country'] } } }));
  assert.deepEqual(againstOther.map((failure) => failure.reason), ['schema-mismatch']);
});

const toolCallEvents = (argumentsText: string[]): StreamEvent[] => [
  start,
  { type: 'tool-call-start', index: 0, id: 'c1', name: 'lookup' },
  ...argumentsText.map((argumentsDelta): StreamEvent => ({ type: 'tool-call-delta', index: 0, argumentsDelta })),
  { type: 'finish', finishReason: 'tool-calls' },
];

test('tool-call arguments are gathered across deltas and checked at the end', async () => {
  const tools = [{ name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } }];
  assert.deepEqual((await run(toolCallEvents(['{"id"', ':', '42}']), request({ tools }))).failures, []);
  const { output, failures } = await run(toolCallEvents(['{"id"', ':"forty-two"}']), request({ tools }));
  assert.deepEqual(failures.map((failure) => failure.reason), ['tool-arguments-schema-mismatch']);
  assert.equal(output.at(-1)?.type, 'finish', 'a shape failure leaves the stream as it is');
});

test('an empty stream that says stop is reported', async () => {
  const { output, failures } = await run([start, finish, usage], request());
  assert.deepEqual(failures.map((failure) => failure.reason), ['empty-output']);
  assert.deepEqual(output, [start, finish, usage]);
});

test('a policy failure turns the finish into an error, after the trailing usage, so the answer is billed and flagged', async () => {
  const rules = compileOutputValidationRules(outputValidationOptionsSchema.parse({ prohibitedPatterns: ['\\d{3}-\\d{2}-\\d{4}'] }));
  const { output, failures } = await run([start, { type: 'text-delta', text: 'SSN 123-45-' }, { type: 'text-delta', text: '6789' }, finish, usage], request(), rules);
  assert.deepEqual(failures.map((failure) => failure.reason), ['prohibited-pattern']);
  assert.deepEqual(output.slice(0, 3), [start, { type: 'text-delta', text: 'SSN 123-45-' }, { type: 'text-delta', text: '6789' }]);
  assert.deepEqual(output[3], usage);
  const last = output[4];
  assert.equal(last?.type, 'error');
  assert.equal(last?.type === 'error' ? last.code : undefined, 'upstream_invalid_output');
  assert.doesNotMatch(last?.type === 'error' ? last.message : '', /6789/);
  assert.equal(output.length, 5);
});

test('a stream that fails upstream is not validated', async () => {
  const failed: StreamEvent[] = [start, { type: 'text-delta', text: 'par' }, { type: 'error', code: 'upstream_stream_interrupted', message: 'cut' }];
  const { output, failures } = await run(failed, request({ responseFormat: { type: 'json-object' } }));
  assert.deepEqual(output, failed);
  assert.deepEqual(failures, []);
});

test('stopping before reading closes the source, and so does stopping part-way', async () => {
  let closed = 0;
  const source = (): AsyncIterable<StreamEvent> => ({
    [Symbol.asyncIterator]: () => ({
      next: async () => ({ done: false, value: start }),
      return: async () => {
        closed += 1;
        return { done: true, value: undefined };
      },
    }),
  });
  const validation = { request: request(), rules: noOutputValidationRules, schemas: createSchemaValidatorCache(), onFailure: () => {} };
  await validateStream(source(), validation).return?.();
  assert.equal(closed, 1);
  for await (const event of validateStream(source(), validation)) {
    assert.equal(event, start);
    break;
  }
  assert.equal(closed, 2);
});

test('an error thrown by the source reaches the consumer', async () => {
  const source = (async function* (): AsyncGenerator<StreamEvent> {
    yield start;
    throw new Error('socket hang up');
  })();
  const iterator = validateStream(source, { request: request(), rules: noOutputValidationRules, schemas: createSchemaValidatorCache(), onFailure: () => {} });
  assert.deepEqual(await iterator.next(), { done: false, value: start });
  await assert.rejects(iterator.next(), /socket hang up/);
});
