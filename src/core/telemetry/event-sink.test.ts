import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { test } from 'node:test';
import { createEventSink } from './event-sink.ts';
import type { AttemptFailedEvent } from './gateway-event.ts';

const event: AttemptFailedEvent = {
  type: 'attempt-failed',
  requestId: 'r1',
  failure: { provider: 'p', model: 'm', code: 'upstream_timeout', message: 'slow' },
};

test('delivers events to subscribers of their type only, and stops after unsubscribe', () => {
  const sink = createEventSink();
  const seen: string[] = [];
  const stop = sink.subscribe('attempt-failed', (received) => seen.push(received.requestId));
  sink.subscribe('request-completed', () => seen.push('wrong'));
  assert.equal(sink.hasSubscribers('attempt-failed'), true);
  sink.publish(event);
  stop();
  sink.publish(event);
  assert.deepEqual(seen, ['r1']);
});

test('two sinks are isolated, a throwing listener cannot fail the publisher, and diagnostics_channel sees all', () => {
  const first = createEventSink();
  const errors: unknown[] = [];
  const second = createEventSink((error) => errors.push(error));
  const firstSeen: unknown[] = [];
  first.subscribe('attempt-failed', (received) => firstSeen.push(received));
  second.subscribe('attempt-failed', () => {
    throw new Error('listener bug');
  });
  const outside: unknown[] = [];
  const onOutside = (message: unknown): void => {
    outside.push(message);
  };
  subscribe('bulwark:attempt-failed', onOutside);
  second.publish(event);
  unsubscribe('bulwark:attempt-failed', onOutside);
  assert.deepEqual(firstSeen, []);
  assert.equal(errors.length, 1);
  assert.deepEqual(outside, [event]);
});
