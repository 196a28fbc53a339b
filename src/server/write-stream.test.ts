import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import type { StreamEvent } from '../core/model/index.ts';
import type { StreamEncoder } from '../formats/wire-format.ts';
import { writeEventStream } from './write-stream.ts';

/** Enough of a ServerResponse: records writes, and reports a full socket while `full` is set. */
class FakeResponse extends EventEmitter {
  writes: string[] = [];
  ended: string | undefined;
  destroyed = false;
  full = false;
  write(text: string): boolean {
    this.writes.push(text);
    return !this.full;
  }
  end(text: string): void {
    this.ended = text;
  }
}

const encoder: StreamEncoder = {
  encode: (event) => (event.type === 'text-delta' ? `[${event.text}]` : ''),
  end: () => '<end>',
};

const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });

/** An iterable over the events that counts reads and whether it was stopped. */
const source = (items: StreamEvent[], beforeEach?: (index: number) => Promise<void>) => {
  const state = { reads: 0, returned: false };
  const iterable: AsyncIterable<StreamEvent> = {
    [Symbol.asyncIterator]: () => ({
      async next() {
        const index = state.reads++;
        await beforeEach?.(index);
        return index < items.length ? { done: false, value: items[index] as StreamEvent } : { done: true, value: undefined };
      },
      async return() {
        state.returned = true;
        return { done: true, value: undefined };
      },
    }),
  };
  return { iterable, state };
};

const asResponse = (fake: FakeResponse): ServerResponse => fake as unknown as ServerResponse;

describe('writeEventStream', () => {
  test('joins the events of one microtask run into one write, and ends with the encoder end', async () => {
    const response = new FakeResponse();
    const { iterable, state } = source([text('a'), { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } }, text('b')]);
    await writeEventStream(asResponse(response), iterable, encoder);
    assert.equal(response.writes.join('') + (response.ended ?? ''), '[a][b]<end>');
    assert.ok(response.writes.length <= 1);
    assert.equal(state.returned, true);
  });

  test('events that arrive apart are written apart, in order', async () => {
    const response = new FakeResponse();
    const { iterable } = source([text('a'), text('b'), text('c')], () => new Promise((resolve) => setImmediate(resolve)));
    await writeEventStream(asResponse(response), iterable, encoder);
    assert.deepEqual(response.writes, ['[a]', '[b]', '[c]']);
    assert.equal(response.ended, '<end>');
  });

  test('a full socket stops reading until it drains', async () => {
    const response = new FakeResponse();
    response.full = true;
    const { iterable, state } = source([text('a'), text('b'), text('c')], () => new Promise((resolve) => setImmediate(resolve)));
    const writing = writeEventStream(asResponse(response), iterable, encoder);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(response.writes, ['[a]']);
    assert.ok(state.reads <= 2, `read ${state.reads} events while the socket was full`);
    response.full = false;
    response.emit('drain');
    await writing;
    assert.equal(response.writes.join('') + (response.ended ?? ''), '[a][b][c]<end>');
  });

  test('a caller that goes away while the socket is full stops the stream', async () => {
    const response = new FakeResponse();
    response.full = true;
    const { iterable, state } = source([text('a'), text('b'), text('c')], () => new Promise((resolve) => setImmediate(resolve)));
    const writing = writeEventStream(asResponse(response), iterable, encoder);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    response.destroyed = true;
    response.emit('close');
    await writing;
    assert.equal(response.ended, undefined);
    assert.equal(state.returned, true);
    assert.deepEqual(response.writes, ['[a]']);
  });
});
