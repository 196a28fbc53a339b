import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

interface Sent {
  status: number;
  body: { error?: { message?: string; type?: string; param?: string | null }; type?: string };
  headers: Headers;
}

const send = async (path: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Sent> => {
  const response = await fetch(`${stack.bulwark.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.key}`, ...headers },
    body: typeof body === 'string' ? body : new Blob([Buffer.from(body)]),
  });
  return { status: response.status, body: (await response.json()) as Sent['body'], headers: response.headers };
};

/** OpenAI error JSON: `{ error: { message, type, param, code } }`. */
const assertOpenaiError = (sent: Sent, status: number, pattern: RegExp): void => {
  assert.equal(sent.status, status, JSON.stringify(sent.body));
  assert.equal(typeof sent.body.error?.type, 'string');
  assert.match(sent.body.error?.message ?? '', pattern);
  assert.match(sent.headers.get('x-request-id') ?? '', /\S/);
};

/** Anthropic error JSON: `{ type: 'error', error: { type, message } }`. */
const assertAnthropicError = (sent: Sent, status: number, type: string, pattern: RegExp): void => {
  assert.equal(sent.status, status, JSON.stringify(sent.body));
  assert.equal(sent.body.type, 'error');
  assert.equal(sent.body.error?.type, type);
  assert.match(sent.body.error?.message ?? '', pattern);
};

const validChat = JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
const validMessages = JSON.stringify({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });

describe('bad input gets a clear error in the caller\'s format', () => {
  test('malformed JSON', async () => {
    assertOpenaiError(await send('/v1/chat/completions', '{"model": "gpt", "messages": ['), 400, /not valid JSON/);
    assertAnthropicError(await send('/v1/messages', '{nope'), 400, 'invalid_request_error', /not valid JSON/);
  });

  test('empty body', async () => {
    assertOpenaiError(await send('/v1/chat/completions', ''), 400, /empty/);
  });

  test('wrong types and missing fields name the field', async () => {
    const wrongType = await send('/v1/chat/completions', JSON.stringify({ model: 'gpt', messages: 'hello' }));
    assertOpenaiError(wrongType, 400, /messages/);
    assert.equal(wrongType.body.error?.param, 'messages');
    assertOpenaiError(await send('/v1/chat/completions', JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] })), 400, /model/);
    assertOpenaiError(await send('/v1/chat/completions', JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' })), 400, /temperature/);
    assertAnthropicError(await send('/v1/messages', JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] })), 400, 'invalid_request_error', /max_tokens/);
    assertAnthropicError(await send('/v1/messages', JSON.stringify({ model: 'claude', max_tokens: 5, messages: [{ role: 'robot', content: 'hi' }] })), 400, 'invalid_request_error', /messages\[0\]/);
    assertOpenaiError(await send('/v1/chat/completions', JSON.stringify([1, 2])), 400, /./);
    assertOpenaiError(await send('/v1/embeddings', JSON.stringify({ model: 'embedding', input: 42 })), 400, /input/);
  });

  test('unknown model is 404', async () => {
    assertOpenaiError(await send('/v1/chat/completions', JSON.stringify({ model: 'gpt-9', messages: [{ role: 'user', content: 'hi' }] })), 404, /gpt-9/);
    assertAnthropicError(await send('/v1/messages', JSON.stringify({ model: 'claude-9', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })), 404, 'not_found_error', /claude-9/);
    assertOpenaiError(await send('/v1/embeddings', JSON.stringify({ model: 'gpt', input: 'x' })), 404, /embeddings/);
  });

  test('a body over the limit is 413', async () => {
    const huge = JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] });
    assertOpenaiError(await send('/v1/chat/completions', huge), 413, /larger than/);
    assertAnthropicError(await send('/v1/messages', huge), 413, 'request_too_large', /larger than/);
  });

  test('invalid UTF-8 is 400', async () => {
    const bytes = Buffer.concat([Buffer.from('{"model":"gpt","messages":[{"role":"user","content":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')]);
    assertOpenaiError(await send('/v1/chat/completions', bytes), 400, /UTF-8/);
  });

  test('unsupported content types are 415', async () => {
    assertOpenaiError(await send('/v1/chat/completions', 'model=gpt', { 'content-type': 'application/x-www-form-urlencoded' }), 415, /application\/json/);
    assertAnthropicError(await send('/v1/messages', validMessages, { 'content-type': 'text/plain' }), 415, 'invalid_request_error', /application\/json/);
  });

  test('missing, unknown and malformed keys are 401 in the caller\'s format', async () => {
    assertOpenaiError(await send('/v1/chat/completions', validChat, { authorization: '' }), 401, /Missing API key/);
    assertOpenaiError(await send('/v1/chat/completions', validChat, { authorization: 'Bearer bk_unknown' }), 401, /Invalid API key/);
    assertOpenaiError(await send('/v1/chat/completions', validChat, { authorization: 'Basic abc' }), 401, /Missing API key/);
    assertAnthropicError(await send('/v1/messages', validMessages, { authorization: '', 'x-api-key': 'bk_unknown' }), 401, 'authentication_error', /Invalid API key/);
  });

  test('unknown paths are 404 in format', async () => {
    assertOpenaiError(await send('/v1/completions', validChat), 404, /No endpoint/);
  });

  test('a client that sends half a body and hangs up does not crash the gateway', async () => {
    await new Promise<void>((resolve) => {
      const url = new URL(stack.bulwark.url);
      const request = httpRequest({ host: url.hostname, port: url.port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
      request.on('error', () => resolve());
      request.write('{"model":', () => {
        request.destroy();
        resolve();
      });
    });
    const health = await fetch(`${stack.bulwark.url}/healthz`);
    assert.equal(health.status, 200);
  });
});

describe('health endpoints', () => {
  test('healthz and readyz answer without a key', async () => {
    const health = await fetch(`${stack.bulwark.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${stack.bulwark.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });
});
