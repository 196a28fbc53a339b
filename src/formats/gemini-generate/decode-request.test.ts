import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../../core/errors/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeRequest } from './decode-request.ts';

const decodeFixture = (name: string) => decodeRequest(loadFixture(name).payload, { model: 'gemini-2.5-flash', stream: false });

/** `param` undefined: the body as a whole is wrong. */
const rejects = (body: unknown, param: string | undefined, context = { model: 'gemini-2.5-flash' }): void => {
  assert.throws(
    () => decodeRequest(body, context),
    (error: unknown) => isGatewayError(error) && error.code === 'invalid_request' && error.param === param,
    `expected invalid_request at ${param}`,
  );
};

const userText = (text: string) => ({ role: 'user', parts: [{ text }] });

test('decodes the documented function-calling request: model and stream from the URL, tools as JSON Schema', () => {
  const request = decodeRequest(loadFixture('request-function-calling').payload, { model: 'models/gemini-2.5-pro', stream: true });
  assert.equal(request.model, 'gemini-2.5-pro');
  assert.equal(request.stream, true);
  assert.deepEqual(request.messages, [
    { role: 'user', content: [{ type: 'text', text: 'Schedule a meeting with Bob and Alice for 03/27/2025 at 10:00 AM about the Q3 planning.' }] },
  ]);
  assert.equal(request.tools?.length, 1);
  assert.equal(request.tools?.[0]?.name, 'schedule_meeting');
  assert.equal(request.tools?.[0]?.description, 'Schedules a meeting with specified attendees at a given time and date.');
  assert.deepEqual(request.tools?.[0]?.parameters['required'], ['attendees', 'date', 'time', 'topic']);
  assert.equal(request.providerOptions, undefined);
});

test('takes parametersJsonSchema as it is and converts OpenAPI parameters to JSON Schema', () => {
  const request = decodeFixture('request-mixed-tools');
  assert.deepEqual(request.tools?.map((tool) => tool.name), ['print', 'beep', 'controlLight']);
  assert.equal(request.tools?.[0]?.parameters['$schema'], 'http://json-schema.org/draft-07/schema#');
  assert.equal(request.tools?.[0]?.parameters['additionalProperties'], false);
  assert.deepEqual(request.tools?.[2]?.parameters, {
    description: 'Set the brightness and color temperature of a room light.',
    properties: {
      brightness: { description: 'Light level from 0 to 100. Zero is off and 100 is full brightness.', type: 'number' },
      colorTemperature: { description: 'Color temperature of the light fixture which can be `daylight`, `cool` or `warm`.', type: 'string' },
    },
    required: ['brightness', 'colorTemperature'],
    type: 'object',
  });
  assert.deepEqual(request.toolChoice, { type: 'auto' });
  assert.deepEqual(request.sampling, {});
});

test('reads snake_case fields as Google\'s own curl examples send them', () => {
  const inline = decodeFixture('request-image-inline-snake-case');
  assert.deepEqual(inline.messages, [
    {
      role: 'user',
      content: [
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' } },
        { type: 'text', text: 'Caption this image.' },
      ],
    },
  ]);
  const fileData = decodeFixture('request-file-data-snake-case');
  assert.deepEqual(fileData.messages[0]?.content[0], {
    type: 'image',
    source: { kind: 'url', url: 'gs://cloud-samples-data/ai-platform/flowers/daisy/10559679065_50d2b16f6d.jpg' },
  });
  assert.deepEqual(fileData.sampling, { maxOutputTokens: 2048, temperature: 0.4, topP: 1, topK: 32 });
  assert.deepEqual(fileData.providerOptions, {
    'gemini-generate': { safety_settings: [{ category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', threshold: 'BLOCK_LOW_AND_ABOVE' }] },
  });
});

test('decodes a tool round: signature, call id, response by id, and the user turn after it', () => {
  const request = decodeFixture('request-tool-round-with-signature');
  assert.deepEqual(request.messages, [
    { role: 'user', content: [{ type: 'text', text: 'What is the answer?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: '', signature: 'c2tpcF90aG91Z2h0X3NpZ25hdHVyZV92YWxpZGF0b3I=' },
        { type: 'tool-call', id: 'call_openai_xyz', name: 'get_answer', arguments: '{}' },
      ],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call_openai_xyz', toolName: 'get_answer', content: [{ type: 'text', text: '{"return_value":42}' }] }],
    },
    { role: 'user', content: [{ type: 'text', text: 'continue' }] },
  ]);
  assert.deepEqual(request.tools?.[0]?.parameters, { additionalProperties: false, properties: {}, type: 'object' });
  assert.deepEqual(request.providerOptions, { 'gemini-generate': { generationConfig: { responseModalities: ['TEXT'] } } });
});

test('decodes thinking and keeps includeThoughts and safety settings for a Gemini target', () => {
  const thinking = decodeFixture('request-thinking-config');
  assert.deepEqual(thinking.reasoning, { budgetTokens: 1024 });
  assert.deepEqual(thinking.providerOptions, { 'gemini-generate': { generationConfig: { thinkingConfig: { includeThoughts: true } } } });

  const safety = decodeFixture('request-safety-settings');
  assert.deepEqual(safety.messages[0], { role: 'system', content: [{ type: 'text', text: 'You hate the world!' }] });
  assert.deepEqual(safety.providerOptions?.['gemini-generate']?.['safetySettings'], [
    { category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_LOW_AND_ABOVE' },
  ]);
});

test('gives calls without ids stable ids and pairs responses with them by name and order', () => {
  const body = {
    contents: [
      userText('Weather in Paris and London?'),
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
          { functionCall: { name: 'get_weather', args: { city: 'London' } } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
          { functionResponse: { name: 'get_weather', response: { error: 'no station' } } },
        ],
      },
    ],
  };
  const first = decodeRequest(body, { model: 'gemini-2.5-flash' });
  const again = decodeRequest(body, { model: 'gemini-2.5-flash' });
  assert.deepEqual(first, again);
  const calls = first.messages[1]?.content ?? [];
  const results = first.messages[2]?.content ?? [];
  assert.equal(calls.length, 2);
  const [parisCall, londonCall] = calls.map((part) => (part.type === 'tool-call' ? part.id : ''));
  assert.notEqual(parisCall, londonCall);
  assert.deepEqual(results, [
    { type: 'tool-result', toolCallId: parisCall, toolName: 'get_weather', content: [{ type: 'text', text: 'sunny' }] },
    { type: 'tool-result', toolCallId: londonCall, toolName: 'get_weather', content: [{ type: 'text', text: 'no station' }], isError: true },
  ]);
});

test('splits a user turn that mixes function responses and text, in order', () => {
  const request = decodeRequest(
    {
      contents: [
        { role: 'model', parts: [{ functionCall: { id: 'a', name: 'f', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { id: 'a', name: 'f', response: { value: 1 } } }, { text: 'and now?' }] },
      ],
    },
    { model: 'gemini-2.5-flash' },
  );
  assert.deepEqual(request.messages.map((message) => message.role), ['assistant', 'tool', 'user']);
});

const choice = (functionCallingConfig: object) =>
  decodeRequest({ contents: [userText('hi')], toolConfig: { functionCallingConfig } }, { model: 'm' }).toolChoice;

test('maps function-calling modes to tool choices', () => {
  assert.deepEqual(choice({ mode: 'ANY', allowedFunctionNames: ['get_weather'] }), { type: 'tool', name: 'get_weather' });
  assert.deepEqual(choice({ mode: 'ANY' }), { type: 'required' });
  assert.deepEqual(choice({ mode: 'ANY', allowedFunctionNames: ['a', 'b'] }), { type: 'required' });
  assert.deepEqual(choice({ mode: 'none' }), { type: 'none' });
  assert.deepEqual(choice({ mode: 'VALIDATED' }), { type: 'auto' });
  assert.equal(choice({}), undefined);
});

const decode = (generationConfig: object) => decodeRequest({ contents: [userText('hi')], generationConfig }, { model: 'm' });

test('maps JSON mode, response schemas and thinking options', () => {
  assert.deepEqual(decode({ responseMimeType: 'application/json' }).responseFormat, { type: 'json-object' });
  assert.deepEqual(decode({ responseMimeType: 'text/plain' }).responseFormat, { type: 'text' });
  assert.deepEqual(
    decode({ responseMimeType: 'application/json', responseSchema: { type: 'ARRAY', items: { type: 'STRING', nullable: true }, minItems: '1' } }).responseFormat,
    { type: 'json-schema', name: 'response', schema: { type: 'array', items: { type: ['string', 'null'] }, minItems: 1 }, strict: true },
  );
  assert.deepEqual(
    decode({ response_mime_type: 'application/json', response_json_schema: { type: 'object' } }).responseFormat,
    { type: 'json-schema', name: 'response', schema: { type: 'object' }, strict: true },
  );
  const enumMode = decode({ responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a', 'b'] } });
  assert.equal(enumMode.responseFormat, undefined);
  assert.deepEqual(enumMode.providerOptions, {
    'gemini-generate': { generationConfig: { responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a', 'b'] } } },
  });
  assert.deepEqual(decode({ thinkingConfig: { thinkingLevel: 'HIGH' } }).reasoning, { effort: 'high' });
  assert.deepEqual(decode({ thinkingConfig: { thinkingBudget: -1 } }).reasoning, {});
  assert.deepEqual(decode({ thinkingConfig: { thinkingBudget: 0 } }).reasoning, { budgetTokens: 0 });
  assert.deepEqual(decode({ seed: 7, stopSequences: ['END'], presencePenalty: 0.5, frequencyPenalty: -0.5 }).sampling, {
    seed: 7, stopSequences: ['END'], presencePenalty: 0.5, frequencyPenalty: -0.5,
  });
});

test('keeps Gemini tools and unknown fields for a Gemini target', () => {
  const request = decodeRequest(
    {
      contents: [userText('news?')],
      tools: [{ googleSearch: {} }, { functionDeclarations: [{ name: 'f' }], codeExecution: {} }],
      toolConfig: { retrievalConfig: { languageCode: 'en' } },
      cachedContent: 'cachedContents/abc',
      labels: { team: 'search' },
    },
    { model: 'm' },
  );
  assert.deepEqual(request.tools, [{ name: 'f', parameters: { type: 'object', properties: {} } }]);
  assert.deepEqual(request.providerOptions, {
    'gemini-generate': {
      cachedContent: 'cachedContents/abc',
      labels: { team: 'search' },
      toolConfig: { retrievalConfig: { languageCode: 'en' } },
      tools: [{ googleSearch: {} }, { codeExecution: {} }],
    },
  });
});

test('rejects malformed requests with the offending field', () => {
  rejects('not an object', undefined);
  rejects({}, 'contents');
  rejects({ contents: [] }, 'contents');
  rejects({ contents: [userText('hi')] }, 'model', { model: '' });
  rejects({ contents: [{ role: 'user', parts: [{ text: 5 }] }] }, 'contents[0].parts[0].text');
  rejects({ contents: [{ role: 'assistant', parts: [{ text: 'hi' }] }] }, 'contents[0].role');
  rejects({ contents: [{ role: 'user', parts: [] }] }, 'contents[0].parts');
  rejects({ contents: [{ role: 'user', parts: [{ functionCall: { name: 'f' } }] }] }, 'contents[0].parts[0]');
  rejects({ contents: [{ role: 'user', parts: [{ inline_data: { mime_type: 'audio/mp3', data: 'AAAA' } }] }] }, 'contents[0].parts[0].inlineData.mimeType');
  rejects({ contents: [{ role: 'model', parts: [{ executableCode: { code: 'print(1)' } }] }] }, 'contents[0].parts[0]');
  rejects({ contents: [userText('hi')], systemInstruction: { parts: [{ inlineData: { mimeType: 'image/png', data: '' } }] } }, 'systemInstruction.parts[0]');
  rejects({ contents: [userText('hi')], generationConfig: { temperature: 'hot' } }, 'generationConfig.temperature');
  rejects({ contents: [userText('hi')], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }, 'toolConfig.functionCallingConfig.mode');
  rejects({ contents: [userText('hi')], tools: [{ functionDeclarations: [{ description: 'no name' }] }] }, 'tools[0].functionDeclarations[0].name');
});
