import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSleep } from './clock.ts';
import { createManualClock, flushPromises } from './testing/manual-clock.ts';

test('sleep resolves once its time has passed', async () => {
  const clock = createManualClock();
  let woke = false;
  const sleeping = createSleep(clock)(1_000, new AbortController().signal).then(() => {
    woke = true;
  });
  await clock.advance(999);
  assert.equal(woke, false);
  await clock.advance(1);
  await sleeping;
  assert.equal(woke, true);
});

test('sleep rejects with the reason as soon as its signal aborts, and cancels its timer', async () => {
  const clock = createManualClock();
  const controller = new AbortController();
  const reason = new Error('caller left');
  const sleeping = createSleep(clock)(60_000, controller.signal);
  await flushPromises();
  controller.abort(reason);
  await assert.rejects(sleeping, (thrown) => thrown === reason);
  assert.equal(clock.pendingTimers(), 0);
});

test('sleep on an aborted signal rejects without waiting', async () => {
  const clock = createManualClock();
  const controller = new AbortController();
  controller.abort(new Error('already gone'));
  await assert.rejects(createSleep(clock)(1_000, controller.signal), /already gone/);
  assert.equal(clock.pendingTimers(), 0);
});
