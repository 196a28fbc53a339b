import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { bedrockConverseFormat } from '../formats/bedrock-converse/index.ts';
import { credentials, eventOutline, postJson, readStream, streamedText, withSimulator } from './simulator-test-support.ts';

const modelId = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const converse = (text: string, extra: Record<string, unknown> = {}) => ({ messages: [{ role: 'user', content: [{ text }] }], ...extra });
const path = (operation: string): string => `/model/${encodeURIComponent(modelId)}/${operation}`;

/** Signs like the AWS SDK does, so the test shows a real SigV4 header is accepted. */
const sign = async (url: string, body: string): Promise<Record<string, string>> => {
  const target = new URL(url);
  const signer = new SignatureV4({ service: 'bedrock', region: 'us-east-1', sha256: Sha256, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: target.pathname,
    headers: { host: target.host, 'content-type': 'application/json' }, body,
  }));
  return signed.headers;
};

test('Bedrock converse accepts a real SigV4 signature and answers what the codec decodes', async () => {
  await withSimulator({}, async ({ url }) => {
    const body = JSON.stringify(converse('[[sim:reply Olá]]'));
    const headers = await sign(`${url}${path('converse')}`, body);
    assert.match(headers.authorization ?? '', /^AWS4-HMAC-SHA256 /);
    const response = await postJson(`${url}${path('converse')}`, body, headers);
    assert.equal(response.status, 200);
    assert.ok(response.headers.get('x-amzn-requestid') !== null);
    const result = bedrockConverseFormat.decodeResult(await response.json());
    assert.deepEqual(result.content, [{ type: 'text', text: 'Olá' }]);
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0);
  });
});

test('Bedrock converse-stream sends binary event-stream frames the codec decodes', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}${path('converse-stream')}`, converse('[[sim:reply framed and streamed]]'), credentials.bedrock);
    assert.equal(response.headers.get('content-type'), 'application/vnd.amazon.eventstream');
    const { events, transportError } = await readStream(response, bedrockConverseFormat);
    assert.equal(transportError, undefined);
    assert.equal(eventOutline(events)[0], 'stream-start');
    assert.ok(eventOutline(events).includes('finish'));
    assert.ok(!events.some((event) => event.type === 'error'), JSON.stringify(events));
    assert.equal(streamedText(events), 'framed and streamed');
  });
});

test('Bedrock tool use returns input valid against the tool schema', async () => {
  await withSimulator({}, async ({ url }) => {
    const toolConfig = {
      tools: [{ toolSpec: { name: 'lookup', description: 'Look up', inputSchema: { json: { type: 'object', properties: { sku: { type: 'string', minLength: 5 } }, required: ['sku'] } } } }],
      toolChoice: { any: {} },
    };
    const result = bedrockConverseFormat.decodeResult(await (await postJson(`${url}${path('converse')}`, converse('find it', { toolConfig }), credentials.bedrock)).json());
    assert.equal(result.finishReason, 'tool-calls');
    const call = result.content.find((part) => part.type === 'tool-call');
    assert.ok(call?.type === 'tool-call' && JSON.parse(call.arguments).sku.length >= 5);
  });
});

test('Bedrock errors carry x-amzn-errortype: 401 without SigV4, 400 ValidationException for a bad body', async () => {
  await withSimulator({}, async ({ url }) => {
    const unauthorised = await postJson(`${url}${path('converse')}`, converse('hi'), { authorization: 'AWS4-HMAC-SHA256 nonsense' });
    assert.equal(unauthorised.status, 401);
    assert.match(unauthorised.headers.get('x-amzn-errortype') ?? '', /^UnrecognizedClientException:/);
    assert.equal(bedrockConverseFormat.decodeError(401, await unauthorised.text(), unauthorised.headers).code, 'upstream_authentication_failed');
    const invalid = await postJson(`${url}${path('converse')}`, { messages: 'nope' }, credentials.bedrock);
    assert.equal(invalid.status, 400);
    assert.match(invalid.headers.get('x-amzn-errortype') ?? '', /^ValidationException:/);
    assert.equal(typeof ((await invalid.json()) as { message: unknown }).message, 'string');
  });
});
