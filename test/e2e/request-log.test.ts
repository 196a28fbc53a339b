import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
let openai: OpenAI;
let anthropic: Anthropic;

before(async () => {
  stack = await startStack();
  openai = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: stack.key, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: stack.bulwark.url, apiKey: stack.key, maxRetries: 0 });
});
after(() => stack.close());

const findRecord = async (requestId: string | null) => {
  await stack.bulwark.flushRequestLog();
  const records = await stack.bulwark.requestLog.query({ limit: 1000 });
  const record = records.find((candidate) => candidate.requestId === requestId);
  assert.ok(record, `no record for ${requestId}`);
  return record;
};

describe('the request log', () => {
  test('records a completed call with key, end user, upstream, tokens and cost', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'gpt', user: 'user-42', messages: [{ role: 'user', content: 'Tell me something.' }] })
      .withResponse();
    const record = await findRecord(response.headers.get('x-request-id'));
    const keys = await stack.bulwark.keys.list();
    assert.equal(record.keyId, keys.find((key) => key.name === 'e2e')?.id);
    assert.equal(record.endUser, 'user-42');
    assert.equal(record.modelRequested, 'gpt');
    assert.equal(record.provider, 'sim-openai');
    assert.equal(record.upstreamModel, 'gpt-4o-mini');
    assert.equal(record.status, 200);
    assert.equal(record.stream, false);
    assert.equal(record.inputTokens, data.usage?.prompt_tokens);
    assert.equal(record.outputTokens, data.usage?.completion_tokens);
    assert.ok(record.costUsd > 0, 'gpt-4o-mini has a catalog price');
    assert.ok(record.latencyMs > 0);
    assert.equal(record.attempts, 1);
    assert.equal(record.requestBody, undefined);
  });

  test('the end user can come from a header', async () => {
    const { response } = await anthropic.messages
      .create({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-bulwark-user': 'header-user' } })
      .withResponse();
    const record = await findRecord(response.headers.get('x-request-id'));
    assert.equal(record.endUser, 'header-user');
    assert.equal(record.clientFormat, 'anthropic-messages');
  });

  test('records a streamed call with time to first token and usage', async () => {
    const stream = await openai.chat.completions.create({ model: 'claude', stream: true, messages: [{ role: 'user', content: '[[sim:reply a streamed answer]]' }] }).withResponse();
    for await (const _chunk of stream.data) {
      // drain
    }
    const record = await findRecord(stream.response.headers.get('x-request-id'));
    assert.equal(record.stream, true);
    assert.equal(record.status, 200);
    assert.equal(record.finishReason, 'stop');
    assert.ok(record.outputTokens > 0);
    assert.ok(record.timeToFirstTokenMs !== undefined && record.timeToFirstTokenMs <= record.latencyMs);
  });

  test('a stream cut mid-way reaches the client as an error and is logged with its partial tokens', async () => {
    stack.simulator.faults.set([{ fault: 'stream-cut', count: 1 }]);
    try {
      const { data, response } = await openai.chat.completions
        .create({ model: 'gpt', stream: true, messages: [{ role: 'user', content: '[[sim:reply ' + 'word '.repeat(200) + ']]' }] })
        .withResponse();
      let text = '';
      await assert.rejects(async () => {
        for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
      }, /interrupted|ended|terminated|stream/i);
      const record = await findRecord(response.headers.get('x-request-id'));
      assert.equal(record.errorCode, 'upstream_stream_interrupted');
      assert.equal(record.status, 502);
      assert.ok(text.length > 0, 'some tokens arrived before the cut');
      assert.ok(record.outputTokens > 0, 'partial output is counted');
    } finally {
      stack.simulator.faults.clear();
    }
  });

  test('failed calls are recorded too, with their error code', async () => {
    const response = await fetch(`${stack.bulwark.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.key}` }, body: '{broken',
    });
    const record = await findRecord(response.headers.get('x-request-id'));
    assert.equal(record.status, 400);
    assert.equal(record.errorCode, 'invalid_json');
  });

  test('a failing first target is retried, then falls back, and every attempt is logged', async () => {
    stack.simulator.faults.set([{ fault: 'server-error', model: 'broken-model' }]);
    try {
      const { response } = await openai.chat.completions.create({ model: 'fallback-gpt', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      assert.equal(response.headers.get('x-bulwark-provider'), 'sim-anthropic');
      // reliability.retry.maxAttempts (3) tries at the broken target, then one at the fallback.
      assert.equal(response.headers.get('x-bulwark-attempts'), '4');
      const record = await findRecord(response.headers.get('x-request-id'));
      assert.equal(record.attempts, 4);
      assert.deepEqual(record.attemptFailures?.map((failure) => `${failure.model}:${failure.code}`), Array(3).fill('broken-model:upstream_server_error'));
      assert.equal(record.provider, 'sim-anthropic');
    } finally {
      stack.simulator.faults.clear();
    }
  });

  test('a client that disconnects mid-stream cancels the upstream call and is logged', async () => {
    stack.simulator.faults.set([{ fault: 'hang', count: 1 }]);
    const controller = new AbortController();
    const pending = fetch(`${stack.bulwark.url}/v1/chat/completions`, {
      method: 'POST', signal: controller.signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.key}`, 'x-request-id': 'disconnect-test-1' },
      body: JSON.stringify({ model: 'gpt', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    await once(stack.faultEvents, 'fault');
    controller.abort();
    await assert.rejects(pending);
    const deadline = Date.now() + 5_000;
    let record;
    while (record === undefined && Date.now() < deadline) {
      await stack.bulwark.flushRequestLog();
      record = (await stack.bulwark.requestLog.query({ limit: 100 })).find((candidate) => candidate.requestId === 'disconnect-test-1');
      if (record === undefined) await new Promise((resolve) => setImmediate(resolve));
    }
    stack.simulator.faults.clear();
    assert.equal(record?.errorCode, 'client_closed_request');
  });
});

describe('request and response bodies', () => {
  test('are stored only when requestLog.storeBodies is on', async () => {
    const withBodies = await startStack({ extraYaml: '' });
    try {
      const config = withBodies.bulwark.gateway.config();
      withBodies.bulwark.reload({ ...config, requestLog: { ...config.requestLog, storeBodies: true } });
      const client = new OpenAI({ baseURL: `${withBodies.bulwark.url}/v1`, apiKey: withBodies.key, maxRetries: 0 });
      const { response } = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: '[[sim:reply stored answer]]' }] }).withResponse();
      const streamed = await client.chat.completions.create({ model: 'claude', stream: true, messages: [{ role: 'user', content: '[[sim:reply streamed answer]]' }] }).withResponse();
      for await (const _chunk of streamed.data) {
        // drain
      }
      await withBodies.bulwark.flushRequestLog();
      const records = await withBodies.bulwark.requestLog.query({ limit: 10 });
      const plain = records.find((record) => record.requestId === response.headers.get('x-request-id'));
      assert.match(plain?.requestBody ?? '', /\[\[sim:reply stored answer\]\]/);
      assert.match(plain?.responseBody ?? '', /stored answer/);
      const stream = records.find((record) => record.requestId === streamed.response.headers.get('x-request-id'));
      assert.equal(stream?.responseBody, 'streamed answer');
    } finally {
      await withBodies.close();
    }
  });
});
