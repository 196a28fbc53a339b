import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { anthropicMessagesFormat } from '../formats/anthropic-messages/index.ts';
import { bedrockConverseFormat } from '../formats/bedrock-converse/index.ts';
import { geminiGenerateFormat } from '../formats/gemini-generate/index.ts';
import { openaiChatFormat } from '../formats/openai-chat/index.ts';
import type { WireFormat } from '../formats/wire-format.ts';
import type { FaultName } from './fault-rule.ts';
import type { ProviderFamily } from './provider-family.ts';
import { startSimulator } from './start-simulator.ts';
import { credentials, postJson, readStream, withSimulator } from './simulator-test-support.ts';

interface FamilyCall {
  path: string;
  streamPath: string;
  body: Record<string, unknown>;
  streamBody: Record<string, unknown>;
  format: WireFormat;
}

const prompt = '[[sim:length 40]]';
const calls: Record<ProviderFamily, FamilyCall> = {
  openai: {
    path: '/v1/chat/completions', streamPath: '/v1/chat/completions', format: openaiChatFormat,
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] },
    streamBody: { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] },
  },
  azure: {
    path: '/openai/deployments/gpt/chat/completions?api-version=2024-10-21', streamPath: '/openai/deployments/gpt/chat/completions?api-version=2024-10-21', format: openaiChatFormat,
    body: { messages: [{ role: 'user', content: prompt }] },
    streamBody: { stream: true, messages: [{ role: 'user', content: prompt }] },
  },
  anthropic: {
    path: '/v1/messages', streamPath: '/v1/messages', format: anthropicMessagesFormat,
    body: { model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: prompt }] },
    streamBody: { model: 'claude-haiku-4-5', max_tokens: 200, stream: true, messages: [{ role: 'user', content: prompt }] },
  },
  gemini: {
    path: '/v1beta/models/gemini-2.5-flash:generateContent', streamPath: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', format: geminiGenerateFormat,
    body: { contents: [{ role: 'user', parts: [{ text: prompt }] }] },
    streamBody: { contents: [{ role: 'user', parts: [{ text: prompt }] }] },
  },
  bedrock: {
    path: '/model/amazon.nova-lite-v1%3A0/converse', streamPath: '/model/amazon.nova-lite-v1%3A0/converse-stream', format: bedrockConverseFormat,
    body: { messages: [{ role: 'user', content: [{ text: prompt }] }] },
    streamBody: { messages: [{ role: 'user', content: [{ text: prompt }] }] },
  },
};
const families = Object.keys(calls) as ProviderFamily[];

const call = (url: string, family: ProviderFamily, fault: FaultName, stream = false, signal?: AbortSignal): Promise<Response> => {
  const target = calls[family];
  return postJson(`${url}${stream ? target.streamPath : target.path}`, stream ? target.streamBody : target.body, { ...credentials[family], 'x-sim-fault': fault }, signal);
};

test('rate-limit: 429 with Retry-After and each provider\'s rate-limit signals', async () => {
  await withSimulator({ retryAfterSeconds: 3 }, async ({ url }) => {
    for (const family of families) {
      const response = await call(url, family, 'rate-limit');
      assert.equal(response.status, 429, family);
      const text = await response.text();
      const error = calls[family].format.decodeError(429, text, response.headers);
      assert.equal(error.code, 'upstream_rate_limited', family);
      if (family !== 'bedrock') assert.equal(error.retryAfterSeconds, 3, family);
    }
    const openai = await call(url, 'openai', 'rate-limit');
    assert.equal(openai.headers.get('retry-after'), '3');
    assert.equal(openai.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.equal(((await openai.json()) as { error: { code: string } }).error.code, 'rate_limit_exceeded');
    assert.equal((await call(url, 'azure', 'rate-limit')).headers.get('retry-after-ms'), '3000');
    const anthropic = await call(url, 'anthropic', 'rate-limit');
    assert.equal(anthropic.headers.get('anthropic-ratelimit-requests-remaining'), '0');
    assert.equal(((await anthropic.json()) as { error: { type: string } }).error.type, 'rate_limit_error');
    const gemini = (await (await call(url, 'gemini', 'rate-limit')).json()) as { error: { status: string; details: Array<Record<string, string>> } };
    assert.equal(gemini.error.status, 'RESOURCE_EXHAUSTED');
    assert.ok(gemini.error.details.some((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.RetryInfo' && detail.retryDelay === '3s'));
    assert.match((await call(url, 'bedrock', 'rate-limit')).headers.get('x-amzn-errortype') ?? '', /^ThrottlingException:/);
  });
});

test('server-error, unavailable and overloaded answer 500, 503 and 529 (Anthropic) or 503', async () => {
  await withSimulator({}, async ({ url }) => {
    for (const family of families) {
      assert.equal((await call(url, family, 'server-error')).status, 500, family);
      assert.equal((await call(url, family, 'unavailable')).status, 503, family);
      const overloaded = await call(url, family, 'overloaded');
      assert.equal(overloaded.status, family === 'anthropic' ? 529 : 503, family);
      const error = calls[family].format.decodeError(overloaded.status, await overloaded.text(), overloaded.headers);
      assert.equal(error.code, 'upstream_overloaded', family);
    }
  });
});

test('hang: the request is accepted and never answered until the client goes away', async () => {
  const { promise: started, resolve: hung } = Promise.withResolvers<void>();
  await withSimulator({ onFault: (fault) => { if (fault === 'hang') hung(); } }, async ({ url, stats }) => {
    const client = new AbortController();
    let settled = false;
    const pending = call(url, 'openai', 'hang', false, client.signal).finally(() => { settled = true; });
    await started;
    // Another request completes while the hung one is still waiting.
    assert.equal((await call(url, 'anthropic', 'empty-content')).status, 200);
    assert.equal(settled, false);
    client.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    assert.equal(stats().byFault.hang, 1);
  });
});

test('close() ends a simulator even while a request hangs', async () => {
  const { promise: started, resolve: hung } = Promise.withResolvers<void>();
  const simulator = await startSimulator({ onFault: () => hung() });
  const pending = call(simulator.url, 'gemini', 'hang');
  await started;
  await simulator.close();
  await assert.rejects(pending, TypeError);
});

test('reset: the socket is destroyed before any answer and the client sees a network error', async () => {
  await withSimulator({}, async ({ url }) => {
    for (const family of ['openai', 'bedrock'] as const) await assert.rejects(call(url, family, 'reset'), TypeError, family);
    assert.equal((await call(url, 'openai', 'empty-content')).status, 200, 'the simulator keeps serving');
  });
});

test('stream-cut: some content arrives, then the connection drops with no finish', async () => {
  await withSimulator({}, async ({ url }) => {
    for (const family of families) {
      const response = await call(url, family, 'stream-cut', true);
      assert.equal(response.status, 200);
      const { events, transportError } = await readStream(response, calls[family].format);
      assert.ok(transportError !== undefined, `${family}: the body read fails`);
      assert.ok(events.some((event) => event.type === 'text-delta'), `${family}: some text arrived first`);
      assert.ok(!events.some((event) => event.type === 'finish'), family);
      assert.equal(events.at(-1)?.type, 'error', family);
    }
    await assert.rejects(async () => (await call(url, 'openai', 'stream-cut')).text(), TypeError, 'a non-streamed answer is cut short too');
  });
});

test('malformed-chunk: a broken chunk mid-stream surfaces as an invalid-response error', async () => {
  await withSimulator({}, async ({ url }) => {
    for (const family of families) {
      const { events } = await readStream(await call(url, family, 'malformed-chunk', true), calls[family].format);
      const error = events.find((event) => event.type === 'error');
      assert.ok(error?.type === 'error' && error.code === 'upstream_invalid_response', `${family}: ${JSON.stringify(events.at(-1))}`);
      const index = events.indexOf(error);
      assert.ok(events.slice(0, index).some((event) => event.type === 'text-delta'), `${family}: content came before the broken chunk`);
    }
    const whole = await call(url, 'anthropic', 'malformed-chunk');
    assert.equal(whole.status, 200);
    await assert.rejects(whole.json(), SyntaxError);
  });
});

test('empty-content: 200 with no text at all', async () => {
  await withSimulator({}, async ({ url }) => {
    for (const family of families) {
      const response = await call(url, family, 'empty-content');
      assert.equal(response.status, 200);
      const result = calls[family].format.decodeResult(await response.json());
      const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      assert.equal(text, '', family);
      assert.equal(result.usage.outputTokens, 0, family);
    }
  });
});

test('invalid-json: a body that is not JSON, or JSON that violates the requested schema', async () => {
  const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
  const validate = new Ajv2020({ strict: false }).compile(schema);
  await withSimulator({}, async ({ url }) => {
    const plain = await call(url, 'openai', 'invalid-json');
    assert.equal(plain.status, 200);
    await assert.rejects(plain.json(), SyntaxError);
    const body = { ...calls.openai.body, response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } };
    const response = await postJson(`${url}/v1/chat/completions`, body, { ...credentials.openai, 'x-sim-fault': 'invalid-json' });
    const result = openaiChatFormat.decodeResult(await response.json());
    const text = result.content.find((part) => part.type === 'text');
    assert.ok(text?.type === 'text');
    assert.equal(validate(JSON.parse(text.text)), false, 'valid JSON that breaks the schema');
    const streamed = await readStream(await call(url, 'openai', 'invalid-json', true), openaiChatFormat);
    assert.ok(streamed.events.some((event) => event.type === 'error'));
  });
});

test('enforced rate limits answer 429 once the minute\'s requests are used', async () => {
  await withSimulator({ rateLimits: { requestsPerMinute: 2, enforce: true } }, async ({ url, stats }) => {
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await postJson(`${url}/v1/chat/completions`, calls.openai.body, credentials.openai)).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal(stats().byFault['rate-limit'], 1);
    assert.deepEqual(stats().byStatus, { 200: 2, 429: 1 });
  });
});

test('error faults apply to embeddings too', async () => {
  await withSimulator({}, async ({ url }) => {
    const response = await postJson(`${url}/v1/embeddings`, { model: 'text-embedding-3-small', input: 'x' }, { ...credentials.openai, 'x-sim-fault': 'unavailable' });
    assert.equal(response.status, 503);
  });
});
