import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, before, describe, test } from 'node:test';
import type { CircuitPolicy } from '../../src/stores/shared-state-contracts.ts';
import type { SharedState } from '../../src/stores/shared-state/shared-state.ts';
import { redisTestNamespace, redisUrl, strictRedisState } from './shared-state-redis-fixture.ts';

const t0 = 1_700_000_000_000;
const grace = 60_000;
const policy: CircuitPolicy = { consecutiveFailures: 3, failureRateThreshold: 0.5, minimumRequests: 10, windowMs: 30_000, openMs: 20_000, halfOpenProbes: 1 };

/** What the Redis backing leaves on the server: namespaced keys that expire once they no longer matter. */
describe('Redis shared state on the server', () => {
  const namespaces = redisTestNamespace('keys');
  const namespace = namespaces.next();
  const prefix = `bulwark:${namespace}:`;
  let client: Redis;
  let state: SharedState;
  before(() => {
    client = new Redis(redisUrl);
    state = strictRedisState(namespace);
  });
  after(async () => {
    await state.close();
    await client.quit();
    await namespaces.cleanUp();
  });

  /** Asserts 0 < PTTL <= most, and more than `least` (real time passes between the call and this check). */
  const assertTtl = async (key: string, least: number, most: number): Promise<void> => {
    const ttl = await client.pttl(key);
    assert.ok(ttl > least && ttl <= most, `TTL of ${key} is ${ttl}, expected in (${least}, ${most}]`);
  };

  test('a bucket lives until it would be full again, plus a grace', async () => {
    await state.rateLimits.consume([{ key: 'k:rpm', capacity: 10, refillPerSecond: 2, amount: 4 }], t0);
    assert.deepEqual(await client.hgetall(`${prefix}rl:k:rpm`), { t: '6', u: String(t0) });
    await assertTtl(`${prefix}rl:k:rpm`, grace, grace + 2_000);
  });

  test('a bucket that never refills is a quota and does not expire', async () => {
    await state.rateLimits.consume([{ key: 'quota', capacity: 10, refillPerSecond: 0, amount: 1 }], t0);
    assert.equal(await client.pttl(`${prefix}rl:quota`), -1);
  });

  test('a refused call writes nothing', async () => {
    await state.rateLimits.consume([{ key: 'too-big', capacity: 10, refillPerSecond: 1, amount: 11 }], t0);
    assert.equal(await client.exists(`${prefix}rl:too-big`), 0);
  });

  test('leases live as long as the longest one, plus a grace, and go with the last release', async () => {
    const short = await state.concurrency.acquire('c', 5, 1_000, t0);
    await state.concurrency.acquire('c', 5, 30_000, t0);
    await state.concurrency.acquire('c', 5, 2_000, t0);
    await assertTtl(`${prefix}cc:c`, grace, grace + 30_000);
    assert.ok(short);
    await state.concurrency.release(short);
    assert.equal(await client.zcard(`${prefix}cc:c`), 2);
    const only = await state.concurrency.acquire('solo', 1, 1_000, t0);
    assert.ok(only);
    await state.concurrency.release(only);
    assert.equal(await client.exists(`${prefix}cc:solo`), 0);
  });

  test('a circuit and its index live for max(windowMs, openMs) plus a grace', async () => {
    await state.circuits.record('openai/gpt-4o', 'failure', policy, t0);
    await assertTtl(`${prefix}cb:openai/gpt-4o`, grace, grace + 30_000);
    await assertTtl(`${prefix}cb-index`, grace, grace + 30_000);
    assert.deepEqual(await client.smembers(`${prefix}cb-index`), ['openai/gpt-4o']);
  });

  test('a circuit whose key expired reads closed and leaves the list', async () => {
    await state.circuits.record('gone', 'failure', policy, t0);
    await client.del(`${prefix}cb:gone`);
    assert.deepEqual(await state.circuits.read('gone', policy, t0), { phase: 'closed', consecutiveFailures: 0, windowSuccesses: 0, windowFailures: 0 });
    assert.equal('gone' in (await state.circuits.list(policy, t0)), false);
    assert.equal(await client.sismember(`${prefix}cb-index`, 'gone'), 0);
  });

  test('every key is under bulwark:<namespace>:', async () => {
    const keys = await client.keys(`${prefix}*`);
    assert.ok(keys.length >= 4);
    const others = redisTestNamespace('keys-other');
    const other = strictRedisState(others.next());
    try {
      assert.deepEqual((await other.rateLimits.consume([{ key: 'k:rpm', capacity: 10, refillPerSecond: 2, amount: 0 }], t0)).remaining, [10]);
    } finally {
      await other.close();
      await others.cleanUp();
    }
  });
});
