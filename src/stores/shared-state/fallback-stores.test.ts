import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConcurrencyLease } from '../shared-state-contracts.ts';
import { createFallbackStores } from './fallback-stores.ts';
import { FallbackSwitch } from './fallback-switch.ts';
import { MemoryCircuitStore } from './memory-circuit-store.ts';
import { MemoryConcurrencyStore } from './memory-concurrency-store.ts';
import { MemoryRateLimitStore } from './memory-rate-limit-store.ts';
import type { SharedStateStores } from './shared-state.ts';

const memoryStores = (): SharedStateStores => ({
  rateLimits: new MemoryRateLimitStore(),
  concurrency: new MemoryConcurrencyStore(),
  circuits: new MemoryCircuitStore(),
});

/** Memory stores standing in for Redis, with an outage switch and a log of the releases that reached them. */
function fakeRedis() {
  const stores = memoryStores();
  const outage = { down: false };
  const released: ConcurrencyLease[] = [];
  const guard = async <T>(call: () => Promise<T>): Promise<T> => (outage.down ? Promise.reject(new Error('Command timed out')) : call());
  const remote: SharedStateStores = {
    rateLimits: {
      consume: (charges, now) => guard(() => stores.rateLimits.consume(charges, now)),
      adjust: (charges, now) => guard(() => stores.rateLimits.adjust(charges, now)),
    },
    concurrency: {
      acquire: (key, limit, leaseMs, now) => guard(() => stores.concurrency.acquire(key, limit, leaseMs, now)),
      release: (lease) =>
        guard(async () => {
          released.push(lease);
          await stores.concurrency.release(lease);
        }),
    },
    circuits: stores.circuits,
  };
  return { remote, outage, released };
}

function harness() {
  const redis = fakeRedis();
  let time = 0;
  const fallbackSwitch: FallbackSwitch = new FallbackSwitch({
    probe: async () => (redis.outage.down ? Promise.reject(new Error('down')) : 'PONG'),
    probeIntervalMs: 1_000,
    clock: () => time,
    onRecovered: () => stores.releasePending(),
  });
  const stores = createFallbackStores(redis.remote, memoryStores(), fallbackSwitch);
  /** Moves the clock past the interval, triggers a probe with a call, and lets it settle. */
  const recover = async (): Promise<void> => {
    redis.outage.down = false;
    time += 1_000;
    fallbackSwitch.probeSoon();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fallbackSwitch.status(), 'redis');
  };
  return { redis, stores, fallbackSwitch, recover };
}

const t0 = 1_700_000_000_000;
const bucket = { key: 'k', capacity: 2, refillPerSecond: 1, amount: 1 };

test('while Redis is down, limits are enforced per process, from full buckets', async () => {
  const { redis, stores, fallbackSwitch } = harness();
  await stores.rateLimits.consume([bucket], t0);
  await stores.rateLimits.consume([bucket], t0);
  assert.equal((await stores.rateLimits.consume([bucket], t0)).allowed, false);
  redis.outage.down = true;
  assert.deepEqual((await stores.rateLimits.consume([bucket], t0)).remaining, [1]);
  assert.equal(fallbackSwitch.status(), 'local');
  assert.equal((await stores.rateLimits.consume([bucket], t0)).allowed, true);
  assert.equal((await stores.rateLimits.consume([bucket], t0)).allowed, false);
});

test('once Redis is back, calls resume its state where it was', async () => {
  const { redis, stores, recover } = harness();
  await stores.rateLimits.consume([{ ...bucket, amount: 2 }], t0);
  redis.outage.down = true;
  await stores.rateLimits.consume([bucket], t0);
  await recover();
  assert.deepEqual(await stores.rateLimits.consume([bucket], t0), { allowed: false, retryAfterSeconds: 1, remaining: [0] });
});

test('a lease taken locally is released locally, even after Redis is back', async () => {
  const { redis, stores, recover } = harness();
  redis.outage.down = true;
  const lease = await stores.concurrency.acquire('c', 1, 60_000, t0);
  assert.ok(lease);
  assert.match(lease.id, /^local:/);
  await recover();
  await stores.concurrency.release(lease);
  assert.deepEqual(redis.released, []);
  redis.outage.down = true;
  await stores.concurrency.release({ key: 'x', id: 'y' });
  assert.ok(await stores.concurrency.acquire('c', 1, 60_000, t0), 'the local slot was freed');
});

test('a Redis lease released during the outage is released once Redis is back', async () => {
  const { redis, stores, recover } = harness();
  const lease = await stores.concurrency.acquire('c', 1, 60_000, t0);
  assert.ok(lease);
  redis.outage.down = true;
  await stores.concurrency.release(lease);
  assert.deepEqual(redis.released, []);
  await recover();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(redis.released, [lease]);
  assert.ok(await stores.concurrency.acquire('c', 1, 60_000, t0));
});

test('a malformed lease is refused before either side sees it', async () => {
  const { stores } = harness();
  await assert.rejects(stores.concurrency.release({ key: 'c' } as ConcurrencyLease), RangeError);
});
