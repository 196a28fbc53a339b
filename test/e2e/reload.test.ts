import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { parseConfig } from '../../src/config/load-config.ts';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;
before(async () => {
  // Slow enough that the reload happens while the stream is still being generated.
  stack = await startStack({ simulator: { latency: { tokensPerSecond: 200 } } });
});
after(() => stack.close());

test('a reload does not drop a stream in flight, and new requests see the new config', async () => {
  const client = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: stack.key, maxRetries: 0 });
  const stream = await client.chat.completions.create({ model: 'gpt', stream: true, messages: [{ role: 'user', content: '[[sim:length 60]]' }] });
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.done, false);

  // The new config no longer has "gpt" at all.
  const withoutGpt = stack.configYaml.replace(/^ {2}gpt: .*$/m, '');
  stack.bulwark.reload(parseConfig(withoutGpt, 'reloaded.yaml', {}));
  await assert.rejects(client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }), OpenAI.NotFoundError);

  let finish: string | null | undefined;
  let chunks = 1;
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    chunks += 1;
    finish = next.value.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(finish, 'stop', 'the stream that started before the reload finished normally');
  assert.ok(chunks > 5);
  assert.equal((await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] })).object, 'chat.completion');
});
