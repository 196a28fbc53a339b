import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GatewayError } from '../core/errors/index.ts';
import type { StreamEvent } from '../core/model/index.ts';
import { meterStream, type StreamOutcome } from './stream-meter.ts';

const events: StreamEvent[] = [
  { type: 'stream-start', id: 's', model: 'm', created: 1 },
  { type: 'text-delta', text: 'Hel' },
  { type: 'text-delta', text: 'lo' },
  { type: 'finish', finishReason: 'stop' },
  { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } },
];

/** A source that records whether it was stopped, and can fail after its events. */
const source = (items: StreamEvent[], failWith?: Error) => {
  const state = { returned: false };
  async function* generate(): AsyncGenerator<StreamEvent> {
    try {
      yield* items;
      if (failWith !== undefined) throw failWith;
    } finally {
      state.returned = true;
    }
  }
  return { iterable: generate(), state };
};

const collect = async (iterable: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> => {
  const seen: StreamEvent[] = [];
  for await (const event of iterable) seen.push(event);
  return seen;
};

describe('meterStream', () => {
  test('passes a stream through and reports its outcome once', async () => {
    const outcomes: StreamOutcome[] = [];
    const seen = await collect(meterStream(source(events).iterable, performance.now(), (outcome) => void outcomes.push(outcome)));
    assert.deepEqual(seen, events);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.generatedText, 'Hello');
    assert.equal(outcomes[0]?.finishReason, 'stop');
    assert.deepEqual(outcomes[0]?.usage, { inputTokens: 3, outputTokens: 2 });
    assert.equal(outcomes[0]?.abandoned, false);
    assert.ok((outcomes[0]?.timeToFirstTokenMs ?? -1) >= 0);
  });

  test('a stream that ends without finishing gets an interrupted error event', async () => {
    const outcomes: StreamOutcome[] = [];
    const seen = await collect(meterStream(source(events.slice(0, 2)).iterable, 0, (outcome) => void outcomes.push(outcome)));
    assert.deepEqual(seen.at(-1), { type: 'error', code: 'upstream_stream_interrupted', message: 'The provider stream ended before it finished.' });
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.error?.code, 'upstream_stream_interrupted');
  });

  test('a source that throws reaches the consumer as an error event', async () => {
    const outcomes: StreamOutcome[] = [];
    const failing = source(events.slice(0, 2), new GatewayError('upstream_timeout', 'too slow'));
    const seen = await collect(meterStream(failing.iterable, 0, (outcome) => void outcomes.push(outcome)));
    assert.deepEqual(seen.at(-1), { type: 'error', code: 'upstream_timeout', message: 'too slow' });
    assert.equal(outcomes[0]?.error?.code, 'upstream_timeout');
    assert.equal(outcomes.length, 1);
  });

  test('a consumer that stops early stops the source and is reported as abandoned', async () => {
    const outcomes: StreamOutcome[] = [];
    const upstream = source(events);
    for await (const event of meterStream(upstream.iterable, 0, (outcome) => void outcomes.push(outcome))) {
      if (event.type === 'text-delta') break;
    }
    assert.equal(upstream.state.returned, true);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.abandoned, true);
    assert.equal(outcomes[0]?.generatedText, 'Hel');
  });

  test('a stream stopped before it was read is still reported', async () => {
    const outcomes: StreamOutcome[] = [];
    const metered = meterStream(source(events).iterable, 0, (outcome) => void outcomes.push(outcome));
    await metered.return?.(undefined);
    await metered.return?.(undefined);
    assert.equal(outcomes.length, 1);
    assert.equal(outcomes[0]?.abandoned, true);
  });

  test('a deferred report is awaited before the stream ends', async () => {
    let recorded = false;
    const metered = meterStream(source(events.slice(0, 2)).iterable, 0, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      recorded = true;
    });
    await collect(metered);
    assert.equal(recorded, true);
  });
});
