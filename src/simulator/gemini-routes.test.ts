import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { geminiEmbeddingsFormat, geminiGenerateFormat } from '../formats/gemini-generate/index.ts';
import { cosineSimilarity } from './embed-text.ts';
import { credentials, eventOutline, postJson, readStream, streamedText, withSimulator } from './simulator-test-support.ts';

const generate = (text: string, extra: Record<string, unknown> = {}) => ({ contents: [{ role: 'user', parts: [{ text }] }], ...extra });
const modelPath = '/v1beta/models/gemini-2.5-flash';

test('Gemini generateContent answers what the codec decodes, with the model from the path', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}${modelPath}:generateContent`, generate('[[sim:reply Hola]]'), credentials.gemini);
    assert.equal(response.status, 200);
    const result = geminiGenerateFormat.decodeResult(await response.json());
    assert.deepEqual(result.content, [{ type: 'text', text: 'Hola' }]);
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.usage.inputTokens > 0);
    const byQuery = await postJson(`${url}${modelPath}:generateContent?key=abc`, generate('hi'));
    assert.equal(byQuery.status, 200);
  });
});

test('Gemini streams server-sent events the codec decodes', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}${modelPath}:streamGenerateContent?alt=sse`, generate('[[sim:reply streamed words here]]'), credentials.gemini);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const { events, transportError } = await readStream(response, geminiGenerateFormat);
    assert.equal(transportError, undefined);
    assert.equal(eventOutline(events)[0], 'stream-start');
    assert.ok(eventOutline(events).includes('finish'));
    assert.equal(streamedText(events), 'streamed words here');
    assert.ok(!events.some((event) => event.type === 'error'));
  });
});

test('Gemini function calling and responseSchema answers validate', async () => {
  const parameters = { type: 'OBJECT', properties: { city: { type: 'STRING' }, days: { type: 'INTEGER', minimum: 1, maximum: 5 } }, required: ['city', 'days'] };
  const validate = new Ajv2020({ strict: false }).compile({ type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 5 } }, required: ['city', 'days'] });
  await withSimulator({}, async ({ url }) => {
    const tools = { tools: [{ functionDeclarations: [{ name: 'forecast', description: 'Forecast', parameters }] }], toolConfig: { functionCallingConfig: { mode: 'ANY' } } };
    const result = geminiGenerateFormat.decodeResult(await (await postJson(`${url}${modelPath}:generateContent`, generate('weather?', tools), credentials.gemini)).json());
    const call = result.content.find((part) => part.type === 'tool-call');
    assert.ok(call?.type === 'tool-call' && call.name === 'forecast' && validate(JSON.parse(call.arguments)), JSON.stringify(result.content));
    const json = { generationConfig: { responseMimeType: 'application/json', responseSchema: parameters } };
    const structured = geminiGenerateFormat.decodeResult(await (await postJson(`${url}${modelPath}:generateContent`, generate('a forecast', json), credentials.gemini)).json());
    const text = structured.content.find((part) => part.type === 'text');
    assert.ok(text?.type === 'text' && validate(JSON.parse(text.text)), JSON.stringify(structured.content));
  });
});

test('Gemini batchEmbedContents gives one deterministic vector per request', async () => {
  await withSimulator({}, async ({ url }) => {
    const requests = ['the cat sat on the mat', 'a cat sat on a mat', 'interest rates rose'].map((text) => ({ model: 'models/text-embedding-004', content: { parts: [{ text }] }, outputDimensionality: 64 }));
    const response = await postJson(`${url}/v1beta/models/text-embedding-004:batchEmbedContents`, { requests }, credentials.gemini);
    assert.equal(response.status, 200);
    const result = geminiEmbeddingsFormat.decodeResult(await response.json());
    assert.equal(result.embeddings.length, 3);
    assert.equal(result.embeddings[0]?.length, 64);
    const [cat = [], similar = [], rates = []] = result.embeddings;
    assert.ok(cosineSimilarity(cat, similar) > cosineSimilarity(cat, rates));
  });
});

test('Gemini errors come in its own format', async () => {
  await withSimulator({}, async ({ url }) => {
    const unauthorised = await postJson(`${url}${modelPath}:generateContent`, generate('hi'));
    assert.equal(unauthorised.status, 401);
    const text = await unauthorised.text();
    assert.equal(JSON.parse(text).error.status, 'UNAUTHENTICATED');
    assert.equal(geminiGenerateFormat.decodeError(401, text, unauthorised.headers).code, 'upstream_authentication_failed');
    for (const body of ['{', JSON.stringify({ contents: 'nope' })]) {
      const invalid = await postJson(`${url}${modelPath}:generateContent`, body, credentials.gemini);
      assert.equal(invalid.status, 400);
      assert.equal(((await invalid.json()) as { error: { status: string } }).error.status, 'INVALID_ARGUMENT');
    }
    const notSse = await postJson(`${url}${modelPath}:streamGenerateContent`, generate('hi'), credentials.gemini);
    assert.equal(notSse.status, 404);
    assert.equal(((await notSse.json()) as { error: { status: string } }).error.status, 'NOT_FOUND');
  });
});
