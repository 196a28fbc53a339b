import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGatewayError } from '../../core/errors/index.ts';
import type { ChatRequest, Message } from '../../core/model/index.ts';
import { loadFixture } from './__fixtures__/load-fixture.ts';
import { decodeRequest } from './decode-request.ts';
import { skipThoughtSignature } from './encode-contents.ts';
import { encodeRequest } from './encode-request.ts';

const context = { model: 'gemini-2.5-flash' };
const requestFixtures = [
  'request-function-calling', 'request-mixed-tools', 'request-image-inline-snake-case', 'request-file-data-snake-case',
  'request-tool-round-with-signature', 'request-thinking-config', 'request-safety-settings',
];

const chat = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'alias', messages, sampling: {}, stream: false, ...extra,
});

test('every request fixture survives Gemini → canonical → Gemini → canonical unchanged', () => {
  for (const name of requestFixtures) {
    const decoded = decodeRequest(loadFixture(name).payload, context);
    const again = decodeRequest(encodeRequest(decoded, context), context);
    assert.deepEqual(again, decoded, name);
  }
});

test('re-encodes a recorded tool round as Gemini sent it, with the declaration in parametersJsonSchema', () => {
  const encoded = encodeRequest(decodeRequest(loadFixture('request-tool-round-with-signature').payload, context), context);
  assert.deepEqual(encoded, {
    contents: [
      { role: 'user', parts: [{ text: 'What is the answer?' }] },
      {
        role: 'model',
        parts: [{ functionCall: { name: 'get_answer', args: {}, id: 'call_openai_xyz' }, thoughtSignature: 'c2tpcF90aG91Z2h0X3NpZ25hdHVyZV92YWxpZGF0b3I=' }],
      },
      // Gemini wants user and model to alternate: the response and the next user text share a turn.
      { role: 'user', parts: [{ functionResponse: { name: 'get_answer', response: { return_value: 42 }, id: 'call_openai_xyz' } }, { text: 'continue' }] },
    ],
    tools: [{ functionDeclarations: [{ name: 'get_answer', description: '', parametersJsonSchema: { additionalProperties: false, properties: {}, type: 'object' } }] }],
    generationConfig: { responseModalities: ['TEXT'] },
  });
});

test('finds a tool result\'s function name from the earlier call with its id', () => {
  const encoded = encodeRequest(
    chat([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_abc', content: [{ type: 'text', text: 'sunny' }] }] },
    ]),
    context,
  );
  assert.deepEqual(encoded['contents'], [
    { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
    {
      role: 'model',
      parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: 'call_abc' }, thoughtSignature: skipThoughtSignature }],
    },
    { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: 'sunny' }, id: 'call_abc' } }] },
  ]);
});

test('rejects a tool result whose call cannot be found, naming the field', () => {
  assert.throws(
    () =>
      encodeRequest(
        chat([
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_missing', content: [{ type: 'text', text: 'x' }] }] },
        ]),
        context,
      ),
    (error: unknown) => isGatewayError(error) && error.code === 'invalid_request' && error.param === 'messages[1].content[0].toolCallId',
  );
});

test('keeps ids Bulwark made up off the wire', () => {
  const decoded = decodeRequest(
    {
      contents: [
        { role: 'user', parts: [{ text: 'beep' }] },
        { role: 'model', parts: [{ functionCall: { name: 'beep' } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'beep', response: { output: 'done' } } }] },
      ],
    },
    context,
  );
  const contents = encodeRequest(decoded, context)['contents'];
  assert.deepEqual(contents, [
    { role: 'user', parts: [{ text: 'beep' }] },
    { role: 'model', parts: [{ functionCall: { name: 'beep', args: {} }, thoughtSignature: skipThoughtSignature }] },
    { role: 'user', parts: [{ functionResponse: { name: 'beep', response: { output: 'done' } } }] },
  ]);
});

test('signs only the first of parallel unsigned calls, and none of a signed turn', () => {
  const contents = encodeRequest(
    chat([
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'a', name: 'f', arguments: '{}' },
          { type: 'tool-call', id: 'b', name: 'g', arguments: 'not json' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', content: [] }, { type: 'tool-result', toolCallId: 'b', content: [] }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'thinking it over', signature: 'SIG-THOUGHT' },
          { type: 'reasoning', text: '', signature: 'SIG-CALL' },
          { type: 'tool-call', id: 'c', name: 'f', arguments: '{"x":1}' },
        ],
      },
    ]),
    context,
  )['contents'];
  assert.deepEqual(contents, [
    { role: 'user', parts: [{ text: 'two' }] },
    {
      role: 'model',
      parts: [
        { functionCall: { name: 'f', args: {}, id: 'a' }, thoughtSignature: skipThoughtSignature },
        // Arguments that are not a JSON object become {}: Gemini takes only an object.
        { functionCall: { name: 'g', args: {}, id: 'b' } },
      ],
    },
    {
      role: 'user',
      parts: [
        { functionResponse: { name: 'f', response: { output: '' }, id: 'a' } },
        { functionResponse: { name: 'g', response: { output: '' }, id: 'b' } },
      ],
    },
    {
      role: 'model',
      parts: [
        { text: 'thinking it over', thought: true, thoughtSignature: 'SIG-THOUGHT' },
        { functionCall: { name: 'f', args: { x: 1 }, id: 'c' }, thoughtSignature: 'SIG-CALL' },
      ],
    },
  ]);
});

test('gathers system messages, encodes images and tool results with media and errors', () => {
  const encoded = encodeRequest(
    chat([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What are these?' },
          { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,AAAA' } },
          { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.JPG?size=large' } },
          { type: 'image', source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
        ],
      },
      { role: 'system', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'look', arguments: '{}' }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result', toolCallId: 't1', isError: true,
            content: [{ type: 'text', text: 'camera offline' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/webp', data: 'BBBB' } }],
          },
        ],
      },
    ]),
    context,
  );
  assert.deepEqual(encoded['systemInstruction'], { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] });
  assert.deepEqual(encoded['contents'], [
    {
      role: 'user',
      parts: [
        { text: 'What are these?' },
        { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
        { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?size=large' } },
        { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
      ],
    },
    { role: 'model', parts: [{ functionCall: { name: 'look', args: {}, id: 't1' }, thoughtSignature: skipThoughtSignature }] },
    {
      role: 'user',
      parts: [{ functionResponse: { name: 'look', response: { error: 'camera offline' }, id: 't1' } }, { inlineData: { mimeType: 'image/webp', data: 'BBBB' } }],
    },
  ]);
});

const encode = (extra: Partial<ChatRequest>) => encodeRequest(chat([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], extra), context);

test('encodes tools, tool choice, response format, sampling and reasoning', () => {
  const withTools = encode({
    tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', additionalProperties: false }, strict: true }],
    toolChoice: { type: 'tool', name: 'get_weather' },
  });
  assert.deepEqual(withTools['tools'], [
    { functionDeclarations: [{ name: 'get_weather', description: 'Weather', parametersJsonSchema: { type: 'object', additionalProperties: false } }] },
  ]);
  assert.deepEqual(withTools['toolConfig'], { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } });
  assert.deepEqual(encode({ toolChoice: { type: 'required' } })['toolConfig'], { functionCallingConfig: { mode: 'ANY' } });
  assert.deepEqual(encode({ toolChoice: { type: 'none' } })['toolConfig'], { functionCallingConfig: { mode: 'NONE' } });
  assert.deepEqual(
    encode({ responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' } } })['generationConfig'],
    { responseMimeType: 'application/json', responseJsonSchema: { type: 'object' } },
  );
  assert.deepEqual(encode({ responseFormat: { type: 'json-object' } })['generationConfig'], { responseMimeType: 'application/json' });
  assert.deepEqual(
    encode({ sampling: { maxOutputTokens: 100, temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ['x'], seed: 1, presencePenalty: 0.1, frequencyPenalty: 0.3 } })['generationConfig'],
    { maxOutputTokens: 100, temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ['x'], seed: 1, presencePenalty: 0.1, frequencyPenalty: 0.3 },
  );
  assert.deepEqual(encode({ reasoning: { budgetTokens: 2048, effort: 'high' } })['generationConfig'], { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } });
  assert.deepEqual(encode({ reasoning: { effort: 'low' } })['generationConfig'], { thinkingConfig: { thinkingLevel: 'low', includeThoughts: true } });
  assert.deepEqual(encode({ reasoning: { budgetTokens: 0 } })['generationConfig'], { thinkingConfig: { thinkingBudget: 0 } });
  assert.equal(encode({})['generationConfig'], undefined);
  assert.equal(encode({})['tools'], undefined);
});

test('sends a Gemini caller\'s own fields on, with canonical values winning', () => {
  const encoded = encodeRequest(
    chat([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], {
      sampling: { temperature: 0.5 },
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      toolChoice: { type: 'auto' },
      reasoning: { budgetTokens: 512 },
      providerOptions: {
        'gemini-generate': {
          safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
          generationConfig: { temperature: 1, candidateCount: 1, thinkingConfig: { includeThoughts: false } },
          toolConfig: { retrievalConfig: { languageCode: 'en' } },
          tools: [{ googleSearch: {} }],
        },
        'openai-chat': { logprobs: true },
      },
    }),
    context,
  );
  assert.deepEqual(encoded['safetySettings'], [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]);
  assert.deepEqual(encoded['generationConfig'], { temperature: 0.5, candidateCount: 1, thinkingConfig: { includeThoughts: false, thinkingBudget: 512 } });
  assert.deepEqual(encoded['toolConfig'], { retrievalConfig: { languageCode: 'en' }, functionCallingConfig: { mode: 'AUTO' } });
  assert.deepEqual(encoded['tools'], [{ functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object' } }] }, { googleSearch: {} }]);
  assert.equal(encoded['logprobs'], undefined);
});

test('encodes a canonical request from another format and decodes it back to the same conversation', () => {
  const original = chat(
    [
      { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Add 2 and 3.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'Use the tool.', signature: 'sig-1' },
          { type: 'text', text: 'Calling add.' },
          { type: 'tool-call', id: 'call_1', name: 'add', arguments: '{"a":2,"b":3}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'add', content: [{ type: 'text', text: '{"sum":5}' }] }] },
    ],
    { tools: [{ name: 'add', description: 'Adds', parameters: { type: 'object', properties: { a: { type: 'number' } } } }], sampling: { maxOutputTokens: 64 } },
  );
  const decoded = decodeRequest(encodeRequest(original, context), { model: 'alias' });
  const toolCallTurn = decoded.messages[2];
  assert.deepEqual(decoded.messages.slice(0, 2), original.messages.slice(0, 2));
  assert.deepEqual(toolCallTurn, {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Use the tool.', signature: 'sig-1' },
      { type: 'text', text: 'Calling add.' },
      // Gemini 3 needs a signature on the call; Bulwark supplies Google's documented stand-in.
      { type: 'reasoning', text: '', signature: skipThoughtSignature },
      { type: 'tool-call', id: 'call_1', name: 'add', arguments: '{"a":2,"b":3}' },
    ],
  });
  assert.deepEqual(decoded.messages[3], original.messages[3]);
  assert.deepEqual(decoded.tools, original.tools);
  assert.deepEqual(decoded.sampling, original.sampling);
});
