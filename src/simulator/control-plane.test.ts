import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentials, postJson, withSimulator } from './simulator-test-support.ts';

const chat = (url: string, model = 'gpt-4o-mini'): Promise<Response> =>
  postJson(`${url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] }, credentials.openai);

test('POST /_sim/faults sets rules that later requests obey; DELETE clears them', async () => {
  await withSimulator({}, async ({ url, faults }) => {
    const set = await postJson(`${url}/_sim/faults`, [{ fault: 'server-error', count: 1 }, { fault: 'unavailable', model: 'gpt-4o' }]);
    assert.equal(set.status, 200);
    assert.deepEqual(((await set.json()) as { rules: unknown[] }).rules, [{ fault: 'server-error', count: 1, fired: 0 }, { fault: 'unavailable', model: 'gpt-4o', fired: 0 }]);
    assert.deepEqual([(await chat(url)).status, (await chat(url)).status, (await chat(url, 'gpt-4o')).status], [500, 200, 503]);
    const listed = (await (await fetch(`${url}/_sim/faults`)).json()) as { rules: Array<{ fired: number }> };
    assert.deepEqual(listed.rules.map((rule) => rule.fired), [1, 1]);
    assert.equal(faults.list().length, 2, 'the HTTP control plane and the FaultController are the same rules');
    assert.equal((await fetch(`${url}/_sim/faults`, { method: 'DELETE' })).status, 200);
    assert.equal((await chat(url, 'gpt-4o')).status, 200);
  });
});

test('the { rules } form is accepted and a rate of 1 always fires', async () => {
  await withSimulator({}, async ({ url }) => {
    assert.equal((await postJson(`${url}/_sim/faults`, { rules: [{ fault: 'overloaded', rate: 1 }] })).status, 200);
    assert.equal((await chat(url)).status, 503);
  });
});

test('malformed rules are refused with 400 and leave the rules unchanged', async () => {
  await withSimulator({ faults: [{ fault: 'server-error' }] }, async ({ url, faults }) => {
    for (const body of ['not json', '{"fault":"hang"}', '[{"fault":"meteor"}]', '[{"fault":"hang","rate":1.5}]', '[{"fault":"hang","extra":1}]']) {
      const response = await postJson(`${url}/_sim/faults`, body);
      assert.equal(response.status, 400, body);
      assert.ok(((await response.json()) as { error: { message: string } }).error.message.length > 0);
    }
    assert.deepEqual(faults.list(), [{ fault: 'server-error', fired: 0 }]);
  });
});

test('the FaultController set in-process applies without headers (a gateway in between sends none)', async () => {
  await withSimulator({}, async ({ url, faults }) => {
    faults.set([{ fault: 'rate-limit', count: 2 }]);
    assert.deepEqual([(await chat(url)).status, (await chat(url)).status, (await chat(url)).status], [429, 429, 200]);
    faults.clear();
    assert.equal((await chat(url)).status, 200);
  });
});

test('a request header takes precedence over the rules', async () => {
  await withSimulator({ faults: [{ fault: 'server-error' }] }, async ({ url }) => {
    const response = await postJson(`${url}/v1/chat/completions`, { model: 'm', messages: [{ role: 'user', content: 'hi' }] }, { ...credentials.openai, 'x-sim-fault': 'empty-content' });
    assert.equal(response.status, 200);
  });
});

test('stats count requests by route, fault and status, in-process and at GET /_sim/stats', async () => {
  await withSimulator({}, async ({ url, stats }) => {
    await chat(url);
    await postJson(`${url}/v1/messages`, { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { ...credentials.anthropic, 'x-sim-fault': 'overloaded' });
    const snapshot = stats();
    assert.equal(snapshot.requests, 2);
    assert.deepEqual(snapshot.byRoute, { 'openai.chat': 1, 'anthropic.messages': 1 });
    assert.deepEqual(snapshot.byFault, { overloaded: 1 });
    assert.deepEqual(snapshot.byStatus, { 200: 1, 529: 1 });
    const overHttp = (await (await fetch(`${url}/_sim/stats`)).json()) as { byRoute: Record<string, number> };
    assert.equal(overHttp.byRoute['control.stats'], 1);
  });
});
