import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

const admin = (path: string, init: RequestInit = {}, token = stack.adminToken) =>
  fetch(`${stack.bulwark.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });

const chat = (key: string, model = 'gpt') =>
  new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: key, maxRetries: 0 }).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('virtual keys through the admin API', () => {
  test('the admin API refuses a missing or wrong token', async () => {
    assert.equal((await fetch(`${stack.bulwark.url}/admin/keys`)).status, 401);
    const wrong = await admin('/admin/keys', {}, 'not-the-token');
    assert.equal(wrong.status, 401);
    const body = (await wrong.json()) as { error: { message: string } };
    assert.match(body.error.message, /admin token/);
  });

  test('create, use, list and revoke a scoped key', async () => {
    const created = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'team-a', models: ['gpt'], team: 'alpha' }) });
    assert.equal(created.status, 201);
    const key = (await created.json()) as { id: string; key: string; prefix: string; models: string[] };
    assert.match(key.key, /^bk_/);
    assert.deepEqual(key.models, ['gpt']);

    assert.equal((await chat(key.key)).object, 'chat.completion');
    await assert.rejects(chat(key.key, 'claude'), OpenAI.PermissionDeniedError);

    const listed = (await (await admin('/admin/keys')).json()) as { data: Array<{ id: string; key?: string; team: string | null }> };
    const entry = listed.data.find((candidate) => candidate.id === key.id);
    assert.equal(entry?.team, 'alpha');
    assert.equal(entry?.key, undefined, 'the secret is never listed');
    assert.doesNotMatch(JSON.stringify(listed), new RegExp(key.key));

    const revoked = await admin(`/admin/keys/${key.id}`, { method: 'DELETE' });
    assert.equal(revoked.status, 200);
    await assert.rejects(chat(key.key), (error: unknown) => error instanceof OpenAI.AuthenticationError && /revoked/.test(error.message));
    assert.equal((await admin('/admin/keys/vk_nope', { method: 'DELETE' })).status, 404);
  });

  test('an expired key is refused', async () => {
    const { secret } = await stack.bulwark.keys.create({ name: 'old', models: ['*'], expiresAt: Date.now() - 1000 });
    await assert.rejects(chat(secret), (error: unknown) => error instanceof OpenAI.AuthenticationError && /expired/.test(error.message));
  });

  test('malformed admin input gets a clear 400', async () => {
    const noName = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ models: ['gpt'] }) });
    assert.equal(noName.status, 400);
    assert.match(((await noName.json()) as { error: { message: string } }).error.message, /name/);
    const badExpiry = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'x', expiresAt: 'tomorrow' }) });
    assert.equal(badExpiry.status, 400);
    const notJson = await admin('/admin/keys', { method: 'POST', body: '{' });
    assert.equal(notJson.status, 400);
  });
});

describe('per-key limits', () => {
  test('a key with its own requests-per-minute limit gets 429 key_rate_limited with Retry-After once it is spent', async () => {
    const created = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'limited', limits: { requestsPerMinute: 2 }, priority: 'low' }) });
    assert.equal(created.status, 201);
    const key = (await created.json()) as { key: string; limits: { requestsPerMinute: number }; priority: string };
    assert.deepEqual(key.limits, { requestsPerMinute: 2 });
    assert.equal(key.priority, 'low');
    await chat(key.key);
    await chat(key.key);
    const refused = await fetch(`${stack.bulwark.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(refused.status, 429);
    const body = (await refused.json()) as { error: { code: string; type: string } };
    assert.equal(body.error.code, 'key_rate_limited');
    assert.equal(body.error.type, 'rate_limit_error');
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    // Another key is not affected.
    assert.equal((await chat(stack.key)).object, 'chat.completion');
  });

  test('malformed limits are refused', async () => {
    const response = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'bad', limits: { requestsPerMinute: -1 } }) });
    assert.equal(response.status, 400);
    const wrongPriority = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'bad', priority: 'urgent' }) });
    assert.equal(wrongPriority.status, 400);
  });
});
