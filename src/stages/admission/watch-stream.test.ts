import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamEvent } from '../../core/model/index.ts';
import { streamEventsWith, trackedStream } from './testing/admission-fixtures.ts';
import { watchStream, type StreamSummary } from '../../core/pipeline/watch-stream.ts';

const watched = (source: AsyncIterable<StreamEvent>) => {
  const ends: StreamSummary[] = [];
  const events = watchStream(source, (summary) => {
    ends.push({ ...summary });
  });
  return { events, ends };
};

test('reports once when the source ends, with its last usage and generated characters', async () => {
  const { events, ends } = watched(trackedStream([...streamEventsWith('hello', { inputTokens: 3, outputTokens: 1 }), { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } }]));
  const seen: string[] = [];
  for await (const event of events) seen.push(event.type);
  assert.deepEqual(seen, ['stream-start', 'text-delta', 'finish', 'usage', 'usage']);
  await events.return?.();
  assert.deepEqual(await events.next(), { done: true, value: undefined });
  assert.deepEqual(ends, [{ usage: { inputTokens: 3, outputTokens: 2 }, generatedCharacters: 5, ending: 'done' }]);
});

test('counts tool calls and reasoning towards generated characters', async () => {
  const { events, ends } = watched(
    trackedStream([
      { type: 'reasoning-delta', text: 'hmm' },
      { type: 'tool-call-start', index: 0, id: 'c', name: 'find' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'finish', finishReason: 'tool-calls' },
    ]),
  );
  for await (const event of events) assert.ok(event);
  assert.equal(ends[0]?.generatedCharacters, 9);
  assert.equal(ends[0]?.usage, undefined);
});

test('reports a failed source before rethrowing its error', async () => {
  const { events, ends } = watched(trackedStream(streamEventsWith('hi', undefined), 1));
  await assert.rejects(async () => {
    for await (const event of events) assert.ok(event);
  }, /connection reset/);
  assert.equal(ends.length, 1);
  assert.equal(ends[0]?.ending, 'failed');
});

test('a consumer that stops early stops the source and reports it abandoned, once', async () => {
  const source = trackedStream(streamEventsWith('hi', undefined));
  const { events, ends } = watched(source);
  await events.next();
  await events.return?.();
  await events.return?.();
  assert.equal(source.returned, true);
  assert.deepEqual(ends.map((summary) => summary.ending), ['abandoned']);
});

test('a stream returned before it was ever read still stops its source and reports once', async () => {
  const source = trackedStream(streamEventsWith('hi', undefined));
  const { events, ends } = watched(source);
  await events.return?.();
  assert.equal(source.returned, true);
  assert.deepEqual(ends.map((summary) => summary.ending), ['abandoned']);
});
