import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamEvent } from '../../core/model/index.ts';
import { watchStreamEnd, type StreamEnd } from './watch-stream-end.ts';

const source = async function* (list: StreamEvent[], error?: Error): AsyncGenerator<StreamEvent> {
  yield* list;
  if (error !== undefined) throw error;
};

const usage = (outputTokens: number): StreamEvent => ({ type: 'usage', usage: { inputTokens: 10, outputTokens } });
const list: StreamEvent[] = [{ type: 'text-delta', text: 'a' }, usage(1), { type: 'finish', finishReason: 'stop' }, usage(7)];

test('passes every event through and reports the last usage once, when the source ends', async () => {
  const ends: StreamEnd[] = [];
  const watched = watchStreamEnd(source(list), (end) => ends.push(end));
  const received: StreamEvent[] = [];
  for await (const event of watched) received.push(event);
  assert.deepEqual(received, list);
  assert.deepEqual(ends, [{ usage: { inputTokens: 10, outputTokens: 7 }, ending: 'done' }]);
  assert.deepEqual(await watched.next(), { done: true, value: undefined });
  assert.equal(ends.length, 1);
});

test('a failing source is reported as failed, and its error still reaches the consumer', async () => {
  const ends: StreamEnd[] = [];
  const watched = watchStreamEnd(source([usage(3)], new Error('cut')), (end) => ends.push(end));
  await assert.rejects(async () => {
    for await (const event of watched) void event;
  }, /cut/);
  assert.deepEqual(ends, [{ usage: { inputTokens: 10, outputTokens: 3 }, ending: 'failed' }]);
});

test('a consumer that stops reading, even before the first event, stops the source and is reported once', async () => {
  let sourceClosed = false;
  const closing = async function* (): AsyncGenerator<StreamEvent> {
    try {
      yield* list;
    } finally {
      sourceClosed = true;
    }
  };
  const ends: StreamEnd[] = [];
  const watched = watchStreamEnd(closing(), (end) => ends.push(end));
  for await (const event of watched) {
    void event;
    break;
  }
  assert.equal(sourceClosed, true);
  await watched.return?.();
  assert.deepEqual(ends, [{ usage: undefined, ending: 'abandoned' }]);

  const unread: StreamEnd[] = [];
  await watchStreamEnd(source(list), (end) => unread.push(end)).return?.();
  assert.deepEqual(unread, [{ usage: undefined, ending: 'abandoned' }]);
});
