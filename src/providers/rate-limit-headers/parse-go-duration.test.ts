import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDuration } from './parse-go-duration.ts';

test('reads the durations OpenAI writes in its reset headers', () => {
  assert.equal(parseGoDuration('1s'), 1);
  assert.equal(parseGoDuration('6m0s'), 360);
  assert.equal(parseGoDuration('20ms'), 0.02);
  assert.equal(parseGoDuration('8.64s'), 8.64);
  assert.equal(parseGoDuration('1h2m3.5s'), 3723.5);
  assert.equal(parseGoDuration('250us'), 0.00025);
  assert.equal(parseGoDuration(' 17ms '), 0.017);
});

test('takes a bare number as seconds', () => {
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('12'), 12);
  assert.equal(parseGoDuration('1.5'), 1.5);
});

test('refuses malformed durations rather than guessing', () => {
  for (const text of ['', ' ', '-1s', '-1', 's', '1x', '1s garbage', '6m0', 'ms', '1.s', '1e3s', 'NaN', 'Infinity', '1 s']) {
    assert.equal(parseGoDuration(text), undefined, JSON.stringify(text));
  }
});
