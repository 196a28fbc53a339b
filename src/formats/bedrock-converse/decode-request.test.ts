import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest } from '../../core/model/index.ts';
import { bedrockConverseFormat } from './index.ts';
import { loadFixture } from './test-support.ts';

const decode = (body: unknown, model = 'anthropic.claude-3-haiku-20240307-v1:0', stream = false): ChatRequest =>
  bedrockConverseFormat.decodeRequest(body, { model, stream });

const topSong = {
  name: 'top_song',
  description: 'Get the most popular song played on a radio station.',
  parameters: {
    type: 'object',
    properties: {
      sign: {
        type: 'string',
        description: 'The call sign for the radio station for which you want the most popular song. Example calls signs are WZPZ and WKRP.',
      },
    },
    required: ['sign'],
  },
};

test('decodes the tool-use guide request with a forced tool', () => {
  const request = decode(loadFixture('request-tool-choice.json').payload, 'anthropic.claude-3-haiku-20240307-v1:0', true);
  assert.deepEqual(request, {
    model: 'anthropic.claude-3-haiku-20240307-v1:0',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the most popular song on WZPZ?' }] }],
    tools: [topSong],
    toolChoice: { type: 'tool', name: 'top_song' },
    sampling: {},
    stream: true,
  });
});

test('turns toolUse into a tool call and a toolResult user turn into a tool message', () => {
  const request = decode(loadFixture('request-tool-result.json').payload);
  assert.deepEqual(request.messages, [
    { role: 'user', content: [{ type: 'text', text: 'What is the most popular song on WZPZ?' }] },
    { role: 'assistant', content: [{ type: 'tool-call', id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', arguments: '{"sign":"WZPZ"}' }] },
    {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
          content: [{ type: 'text', text: '{"song":"Elemental Hotel","artist":"8 Storey Hike"}' }],
        },
      ],
    },
  ]);
  assert.equal(request.toolChoice, undefined);
});

test('marks an error tool result', () => {
  const request = decode(loadFixture('request-tool-result-error.json').payload);
  assert.deepEqual(request.messages[2], {
    role: 'tool',
    content: [{ type: 'tool-result', toolCallId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: [{ type: 'text', text: 'Station WZPA not found' }], isError: true }],
  });
});

test('puts each cachePoint on the part or tool before it', () => {
  const request = decode(loadFixture('request-cache-points.json').payload);
  assert.deepEqual(request.messages[0], {
    role: 'system',
    content: [
      {
        type: 'text',
        text: 'You are an app that creates playlists for a radio station that plays rock and pop music. Only return song names and the artist.',
        cacheControl: { type: 'ephemeral' },
      },
    ],
  });
  assert.deepEqual(request.messages[1], {
    role: 'user',
    content: [{ type: 'text', text: 'What is the most popular song on WZPZ?', cacheControl: { type: 'ephemeral', ttl: '1h' } }],
  });
  assert.deepEqual(request.tools, [{ ...topSong, cacheControl: { type: 'ephemeral' } }]);
  assert.deepEqual(request.sampling, { maxOutputTokens: 1000, temperature: 0, topP: 0 });
});

test('lifts top_k, the thinking budget and structured output; keeps the rest as provider options', () => {
  const request = decode(loadFixture('request-image-and-fields.json').payload);
  assert.deepEqual(request.messages[0]?.content[1], {
    type: 'image',
    source: {
      kind: 'base64',
      mediaType: 'image/png',
      data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    },
  });
  assert.deepEqual(request.sampling, { maxOutputTokens: 2048, stopSequences: ['END'], topK: 250 });
  assert.deepEqual(request.reasoning, { budgetTokens: 1024 });
  assert.deepEqual(request.responseFormat, {
    type: 'json-schema',
    name: 'image_description',
    description: 'What the image shows',
    schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false },
  });
  assert.deepEqual(request.providerOptions, {
    'bedrock-converse': {
      additionalModelRequestFields: { anthropic_beta: ['interleaved-thinking-2025-05-14'] },
      guardrailConfig: { guardrailIdentifier: 'gr-abc123', guardrailVersion: '1', trace: 'enabled' },
      requestMetadata: { team: 'search' },
    },
  });
});

test('keeps reasoning turns and reads the effort from outputConfig', () => {
  const request = decode({
    messages: [
      { role: 'user', content: [{ text: 'Hi' }] },
      {
        role: 'assistant',
        content: [{ reasoningContent: { reasoningText: { text: 'think', signature: 'sig' } } }, { reasoningContent: { redactedContent: 'cmVk' } }, { text: 'Hello' }],
      },
    ],
    outputConfig: { effort: 'high' },
  });
  assert.deepEqual(request.messages[1], {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'think', signature: 'sig' },
      { type: 'reasoning', text: '', redacted: 'cmVk' },
      { type: 'text', text: 'Hello' },
    ],
  });
  assert.deepEqual(request.reasoning, { effort: 'high' });
});

test('splits a user turn into tool results and text, in order', () => {
  const request = decode({
    messages: [
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 'a', content: [{ text: 'one' }], status: 'success' } }, { text: 'and then?' }],
      },
    ],
    toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: { type: 'object' } } } }], toolChoice: { any: {} } },
  });
  assert.deepEqual(request.messages, [
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', content: [{ type: 'text', text: 'one' }], isError: false }] },
    { role: 'user', content: [{ type: 'text', text: 'and then?' }] },
  ]);
  assert.deepEqual(request.toolChoice, { type: 'required' });
});

test('takes a URL-encoded ARN from the path', () => {
  const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0';
  const request = decode({ messages: [] }, encodeURIComponent(arn));
  assert.equal(request.model, arn);
  assert.equal(decode({ messages: [] }, 'amazon.nova-lite-v1:0').model, 'amazon.nova-lite-v1:0');
});

/** `param` undefined: the body as a whole is wrong. */
const rejects = (body: unknown, param: string | undefined, model?: string): void => {
  assert.throws(
    () => bedrockConverseFormat.decodeRequest(body, model === undefined ? { model: 'm' } : { model }),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.code, 'invalid_request');
      assert.equal(error.param, param, error.message);
      return true;
    },
  );
};

test('rejects malformed requests, naming the field', () => {
  rejects('not an object', undefined);
  rejects({}, 'messages');
  rejects({ messages: [{ role: 'system', content: [] }] }, 'messages[0].role');
  rejects({ messages: [{ role: 'user', content: [{ text: 5 }] }] }, 'messages[0].content[0].text');
  rejects({ messages: [{ role: 'user', content: [{ document: { name: 'a', format: 'pdf', source: { bytes: 'AA==' } } }] }] }, 'messages[0].content[0]');
  rejects({ messages: [{ role: 'user', content: [{ text: 'a', image: { format: 'png', source: { bytes: 'AA==' } } }] }] }, 'messages[0].content[0]');
  rejects({ messages: [{ role: 'user', content: [{ image: { format: 'bmp', source: { bytes: 'AA==' } } }] }] }, 'messages[0].content[0].image.format');
  rejects({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: 'not base64!' } } }] }] }, 'messages[0].content[0].image.source.bytes');
  rejects({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { s3Location: { uri: 's3://b/k.png' } } } }] }] }, 'messages[0].content[0].image');
  rejects({ messages: [{ role: 'user', content: [{ toolUse: { toolUseId: 'a', name: 'b', input: {} } }] }] }, 'messages[0].content[0]');
  rejects({ messages: [{ role: 'assistant', content: [{ reasoningContent: {} }] }] }, 'messages[0].content[0].reasoningContent');
  rejects({ messages: [], inferenceConfig: { maxTokens: 0 } }, 'inferenceConfig.maxTokens');
  rejects({ messages: [], toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } }, cachePoint: { type: 'default' } }] } }, 'toolConfig.tools[0]');
  rejects({ messages: [], toolConfig: { tools: [], toolChoice: { auto: {} } } }, 'toolConfig.tools');
  rejects({ messages: [], toolConfig: { tools: [{ toolSpec: { name: 't', inputSchema: { json: {} } } }], toolChoice: { auto: {}, any: {} } } }, 'toolConfig.toolChoice');
  rejects({ messages: [], outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: '{nope' } } } } }, 'outputConfig.textFormat.structure.jsonSchema.schema');
  rejects({ messages: [], modelId: 'x' }, undefined);
  rejects({ messages: [{ role: 'user', content: [{ guardContent: { text: { text: 'x' } } }] }], system: [] }, 'messages[0].content[0]');
  rejects({ messages: [] }, 'modelId', '');
  rejects({ messages: [] }, 'modelId', '%E0%A4%A');
});
