import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLatencyTracker } from './latency-tracker.ts';

test('the first sample sets the average; later ones move it by the smoothing factor', () => {
  const tracker = createLatencyTracker({ smoothing: 0.5 });
  tracker.observe('openai/gpt-4o', { latencyMs: 1000 });
  assert.equal(tracker.get('openai/gpt-4o').latencyMs, 1000);
  tracker.observe('openai/gpt-4o', { latencyMs: 2000, timeToFirstTokenMs: 300 });
  assert.equal(tracker.get('openai/gpt-4o').latencyMs, 1500);
  assert.equal(tracker.get('openai/gpt-4o').timeToFirstTokenMs, 300);
  tracker.observe('openai/gpt-4o', { timeToFirstTokenMs: 100 });
  assert.deepEqual(tracker.snapshot(), { 'openai/gpt-4o': { latencyMs: 1500, timeToFirstTokenMs: 200, inFlight: 0 } });
});

test('deployments are tracked apart, and an unseen one is unknown and idle', () => {
  const tracker = createLatencyTracker();
  tracker.observe('a/m', { latencyMs: 10 });
  assert.deepEqual({ ...tracker.get('b/m') }, { latencyMs: undefined, timeToFirstTokenMs: undefined, inFlight: 0 });
  assert.equal(tracker.get('a/m').latencyMs, 10);
});

test('begin and end count attempts in flight, never below zero', () => {
  const tracker = createLatencyTracker();
  tracker.begin('a/m');
  tracker.begin('a/m');
  assert.equal(tracker.get('a/m').inFlight, 2);
  tracker.end('a/m');
  tracker.end('a/m');
  tracker.end('a/m');
  tracker.end('never-begun/m');
  assert.equal(tracker.get('a/m').inFlight, 0);
  tracker.begin('a/m');
  assert.equal(tracker.get('a/m').inFlight, 1);
  assert.equal(tracker.get('never-begun/m').inFlight, 0);
});

test('malformed samples are ignored', () => {
  const tracker = createLatencyTracker();
  tracker.observe('a/m', { latencyMs: 100 });
  for (const latencyMs of [Number.NaN, -5, Number.POSITIVE_INFINITY]) tracker.observe('a/m', { latencyMs, timeToFirstTokenMs: latencyMs });
  tracker.observe('a/m', {});
  assert.deepEqual({ ...tracker.get('a/m') }, { latencyMs: 100, timeToFirstTokenMs: undefined, inFlight: 0 });
  assert.deepEqual(Object.keys(tracker.snapshot()), ['a/m']);
});

test('a smoothing factor outside (0, 1] is refused', () => {
  for (const smoothing of [0, -0.1, 1.5, Number.NaN]) assert.throws(() => createLatencyTracker({ smoothing }), RangeError);
});
