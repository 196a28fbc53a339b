import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FallbackSwitch } from './fallback-switch.ts';
import type { SharedStateStatus } from './shared-state.ts';

/** A switch with a hand-moved clock and a probe the test answers. */
function harness(options: { connected?: Promise<void> } = {}) {
  let time = 0;
  const changes: [SharedStateStatus, unknown][] = [];
  const probes: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let recovered = 0;
  const fallbackSwitch = new FallbackSwitch({
    probe: () => new Promise<void>((resolve, reject) => probes.push({ resolve, reject })),
    probeIntervalMs: 1_000,
    clock: () => time,
    onStatusChange: (status, cause) => changes.push([status, cause]),
    onRecovered: () => {
      recovered += 1;
    },
    connected: options.connected,
  });
  return {
    fallbackSwitch,
    changes,
    probes,
    recovered: () => recovered,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

const down = new Error('connect ECONNREFUSED');
const remoteFails = async (): Promise<string> => {
  throw down;
};
const remoteAnswers = async (): Promise<string> => 'remote';
const localAnswers = async (): Promise<string> => 'local';
const badInput = async (): Promise<string> => {
  throw new RangeError('shared state: now must be finite');
};
/** Lets the probe's settlement run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A call fails and its confirming probe (probes[0]) fails too: the switch is local. */
const goDown = async ({ fallbackSwitch, probes }: ReturnType<typeof harness>): Promise<void> => {
  await fallbackSwitch.run(remoteFails, localAnswers);
  probes[0]?.reject(down);
  await settle();
  assert.equal(fallbackSwitch.status(), 'local');
};

describe('FallbackSwitch', () => {
  test('answers from Redis while it answers', async () => {
    const { fallbackSwitch, changes } = harness();
    assert.equal(await fallbackSwitch.run(remoteAnswers, localAnswers), 'remote');
    assert.equal(fallbackSwitch.status(), 'redis');
    assert.deepEqual(changes, []);
  });

  test('a failing call is answered locally; a confirming probe that fails too switches, and the switch reports why, once', async () => {
    const { fallbackSwitch, changes, probes } = harness();
    assert.equal(await fallbackSwitch.run(remoteFails, localAnswers), 'local');
    assert.equal(await fallbackSwitch.run(remoteFails, localAnswers), 'local');
    assert.equal(fallbackSwitch.status(), 'redis', 'not yet: one failure may be this process stalling');
    assert.equal(probes.length, 1, 'one confirming probe at a time');
    probes[0]?.reject(down);
    await settle();
    assert.equal(fallbackSwitch.status(), 'local');
    let remoteCalls = 0;
    const counted = async (): Promise<string> => {
      remoteCalls += 1;
      return 'remote';
    };
    assert.equal(await fallbackSwitch.run(counted, localAnswers), 'local');
    assert.equal(remoteCalls, 0);
    assert.deepEqual(changes, [['local', down]]);
  });

  test('a failure whose confirming probe succeeds (a stall of our own) keeps Redis in use', async () => {
    const { fallbackSwitch, changes, probes } = harness();
    assert.equal(await fallbackSwitch.run(remoteFails, localAnswers), 'local');
    probes[0]?.resolve();
    await settle();
    assert.equal(fallbackSwitch.status(), 'redis');
    assert.equal(await fallbackSwitch.run(remoteAnswers, localAnswers), 'remote');
    assert.deepEqual(changes, []);
  });

  test('bad input is the caller’s error, not an outage', async () => {
    const { fallbackSwitch, changes } = harness();
    await assert.rejects(fallbackSwitch.run(badInput, localAnswers), RangeError);
    assert.equal(fallbackSwitch.status(), 'redis');
    assert.deepEqual(changes, []);
  });

  test('probes at most once per interval, and switches back when a probe succeeds', async () => {
    const switchHarness = harness();
    const { fallbackSwitch, changes, probes, recovered, advance } = switchHarness;
    await goDown(switchHarness);
    advance(999);
    await fallbackSwitch.run(remoteAnswers, localAnswers);
    assert.equal(probes.length, 1, 'only the confirming probe so far');
    advance(1);
    assert.equal(await fallbackSwitch.run(remoteAnswers, localAnswers), 'local');
    await fallbackSwitch.run(remoteAnswers, localAnswers);
    fallbackSwitch.probeSoon();
    assert.equal(probes.length, 2, 'one probe at a time');
    probes[1]?.resolve();
    await settle();
    assert.equal(fallbackSwitch.status(), 'redis');
    assert.equal(recovered(), 1);
    assert.deepEqual(changes, [
      ['local', down],
      ['redis', undefined],
    ]);
    assert.equal(await fallbackSwitch.run(remoteAnswers, localAnswers), 'remote');
  });

  test('a failed probe waits a whole interval before the next', async () => {
    const switchHarness = harness();
    const { fallbackSwitch, probes, advance } = switchHarness;
    await goDown(switchHarness);
    advance(1_000);
    fallbackSwitch.probeSoon();
    probes[1]?.reject(down);
    await settle();
    assert.equal(fallbackSwitch.status(), 'local');
    advance(999);
    fallbackSwitch.probeSoon();
    assert.equal(probes.length, 2);
    advance(1);
    fallbackSwitch.probeSoon();
    assert.equal(probes.length, 3);
  });

  test('never probes while Redis is in use, nor after stop', async () => {
    const switchHarness = harness();
    const { fallbackSwitch, probes, advance } = switchHarness;
    advance(5_000);
    fallbackSwitch.probeSoon();
    assert.equal(probes.length, 0);
    await goDown(switchHarness);
    fallbackSwitch.stop();
    advance(5_000);
    fallbackSwitch.probeSoon();
    assert.equal(probes.length, 1, 'only the confirming probe');
  });

  test('calls wait for the first connection attempt instead of failing while it connects', async () => {
    const { promise: connected, resolve: connect } = Promise.withResolvers<void>();
    const { fallbackSwitch } = harness({ connected });
    let ready = false;
    const remote = async (): Promise<string> => (ready ? 'remote' : Promise.reject(down));
    const answer = fallbackSwitch.run(remote, localAnswers);
    ready = true;
    connect();
    assert.equal(await answer, 'remote');
  });
});
