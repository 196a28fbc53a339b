import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLoginThrottle } from './login-throttle.ts';

test('an address waits after too many failures, until the window has passed', () => {
  let now = 1_000_000;
  const throttle = createLoginThrottle({ now: () => now, maxFailures: 3, windowMs: 60_000 });
  for (let failure = 0; failure < 3; failure += 1) {
    assert.equal(throttle.retryAfterSeconds('10.0.0.1'), undefined);
    throttle.recordFailure('10.0.0.1');
  }
  assert.equal(throttle.retryAfterSeconds('10.0.0.1'), 60);
  assert.equal(throttle.retryAfterSeconds('10.0.0.2'), undefined, 'other addresses are not affected');
  now += 30_500;
  assert.equal(throttle.retryAfterSeconds('10.0.0.1'), 30);
  now += 29_500;
  assert.equal(throttle.retryAfterSeconds('10.0.0.1'), undefined);
});

test('a success clears the failures of that address', () => {
  const throttle = createLoginThrottle({ now: () => 0, maxFailures: 2 });
  throttle.recordFailure('a');
  throttle.recordSuccess('a');
  throttle.recordFailure('a');
  assert.equal(throttle.retryAfterSeconds('a'), undefined);
});

test('remembers a bounded number of addresses, forgetting the oldest', () => {
  const throttle = createLoginThrottle({ now: () => 0, maxFailures: 1, maxAddresses: 2 });
  throttle.recordFailure('a');
  throttle.recordFailure('b');
  throttle.recordFailure('c');
  assert.equal(throttle.retryAfterSeconds('a'), undefined);
  assert.ok(throttle.retryAfterSeconds('b') !== undefined);
  assert.ok(throttle.retryAfterSeconds('c') !== undefined);
});
