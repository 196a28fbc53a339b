import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { createLogger } from '../../src/observability/create-logger.ts';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
let logged = '';

before(async () => {
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    logged += chunk.toString('utf8');
  });
  stack = await startStack({ logger: createLogger('trace', destination) });
});
after(() => stack.close());

test('neither provider credentials nor virtual keys reach the logs, error bodies or the request log', async () => {
  const client = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: stack.key, maxRetries: 0 });
  const bodies: string[] = [];
  const wrong = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: 'bk_wrongkeyvalue0000', maxRetries: 0 });
  await wrong.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }).catch((error: Error) => bodies.push(JSON.stringify(error)));

  stack.simulator.faults.set([{ fault: 'server-error' }]);
  for (const model of ['gpt', 'azure-gpt', 'claude', 'gemini', 'bedrock', 'fallback-gpt']) {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((error: Error) => bodies.push(JSON.stringify(error)));
  }
  stack.simulator.faults.clear();
  await stack.bulwark.flushRequestLog();
  const records = JSON.stringify(await stack.bulwark.requestLog.query({ limit: 1000 }));

  assert.ok(logged.includes('attempt failed'), 'failed attempts are logged');
  assert.equal(bodies.length, 7);
  for (const secret of ['sim-key-openai', 'sim-key-azure', 'sim-key-anthropic', 'sim-key-gemini', 'sim-secret-bedrock', stack.key, 'bk_wrongkeyvalue0000']) {
    assert.ok(!logged.includes(secret), `log holds ${secret}`);
    assert.ok(!bodies.some((body) => body.includes(secret)), `an error body holds ${secret}`);
    assert.ok(!records.includes(secret), `the request log holds ${secret}`);
  }
});
