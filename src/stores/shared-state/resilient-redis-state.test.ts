import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import type { BucketCharge, CircuitPolicy } from '../shared-state-contracts.ts';
import { createResilientRedisState, type ResilientRedisStateOptions } from './resilient-redis-state.ts';
import type { SharedStateStatus } from './shared-state.ts';

/** A port nothing listens on (just released by the kernel). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A throwaway redis-server of this test's own (never the machine's), without persistence. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: server.stdout })) if (line.includes('Ready to accept connections')) break;
  server.stdout.resume();
  return server;
}

async function stopRedisServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGKILL');
  await exited;
}

/** A resilient state with a hand-moved probe clock, recording its status changes. */
function openState(url: string, options: Partial<ResilientRedisStateOptions> = {}) {
  let time = 0;
  const changes: SharedStateStatus[] = [];
  const waiters: { status: SharedStateStatus; resolve: () => void }[] = [];
  const state = createResilientRedisState({
    url,
    namespace: 'resilience-test',
    commandTimeoutMs: 100,
    maxReconnectDelayMs: 20,
    clock: () => time,
    onStatusChange: (status) => {
      changes.push(status);
      for (const waiter of waiters.splice(0)) if (waiter.status === status) waiter.resolve();
    },
    ...options,
  });
  const becomes = (status: SharedStateStatus): Promise<void> =>
    state.status() === status ? Promise.resolve() : new Promise((resolve) => waiters.push({ status, resolve }));
  return { state, changes, becomes, advance: (ms: number) => (time += ms) };
}

const t0 = 1_700_000_000_000;
const quota = (amount: number): BucketCharge => ({ key: 'quota', capacity: 10, refillPerSecond: 0, amount });
const policy: CircuitPolicy = { consecutiveFailures: 1, failureRateThreshold: 1, minimumRequests: 10, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 1 };

describe('resilient Redis state', () => {
  test('with nothing listening, every store answers locally and the status says so', async () => {
    const { state, changes } = openState(`redis://127.0.0.1:${await freePort()}`);
    try {
      assert.deepEqual(await state.rateLimits.consume([quota(4)], t0), { allowed: true, retryAfterSeconds: 0, remaining: [6] });
      assert.equal(state.status(), 'local');
      assert.deepEqual(changes, ['local']);
      assert.equal((await state.rateLimits.consume([quota(7)], t0)).allowed, false);
      const lease = await state.concurrency.acquire('c', 1, 60_000, t0);
      assert.ok(lease);
      assert.equal(await state.concurrency.acquire('c', 1, 60_000, t0), undefined);
      await state.concurrency.release(lease);
      assert.equal((await state.circuits.record('d', 'failure', policy, t0)).phase, 'open');
      assert.equal(await state.circuits.admit('d', policy, t0), false);
      await assert.rejects(state.rateLimits.consume([quota(-1)], t0), RangeError);
    } finally {
      await state.close();
    }
  });

  describe('through a real outage of a Redis of its own', async () => {
    const port = await freePort();
    let server = await startRedisServer(port);
    after(() => stopRedisServer(server));
    const { state, changes, becomes, advance } = openState(`redis://127.0.0.1:${port}`);
    after(() => state.close());

    test('a stalled server (commands time out) is replaced by local state, then resumed with its data', async () => {
      assert.deepEqual((await state.rateLimits.consume([quota(1)], t0)).remaining, [9]);
      assert.equal(state.status(), 'redis');
      server.kill('SIGSTOP');
      try {
        assert.deepEqual((await state.rateLimits.consume([quota(1)], t0)).remaining, [9], 'a fresh local bucket');
        // The switch waits for a confirming probe to time out too: one timeout may be our own stall.
        await becomes('local');
        assert.deepEqual((await state.rateLimits.consume([quota(1)], t0)).remaining, [8]);
      } finally {
        server.kill('SIGCONT');
      }
      advance(1_000);
      await state.rateLimits.consume([quota(0)], t0);
      await becomes('redis');
      // Redis kept its bucket. The call that timed out was still delivered once the server resumed,
      // so it took its token there too: a timeout cannot tell whether the server acted.
      assert.deepEqual((await state.rateLimits.consume([quota(1)], t0)).remaining, [7]);
      assert.deepEqual(changes, ['local', 'redis']);
    });

    test('a server that dies and restarts empty: local meanwhile, back (scripts reloaded) once it answers', async () => {
      await stopRedisServer(server);
      assert.deepEqual((await state.rateLimits.consume([quota(1)], t0)).remaining, [7], 'the local bucket from the last outage');
      await becomes('local');
      advance(1_000);
      server = await startRedisServer(port);
      await becomes('redis');
      assert.deepEqual((await state.rateLimits.consume([quota(1)], t0)).remaining, [9], 'the restarted server starts empty');
      assert.equal((await state.circuits.record('d', 'failure', policy, t0)).phase, 'open');
      assert.deepEqual(changes, ['local', 'redis', 'local', 'redis']);
    });
  });
});
