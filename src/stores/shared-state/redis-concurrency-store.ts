import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConcurrencyLease, ConcurrencyStore } from '../shared-state-contracts.ts';
import { luaFormatNumber, RedisScript } from './redis-script.ts';
import { idleGraceMs } from './shared-state.ts';
import { assertLease, assertLeaseRequest, assertNow } from './validate-shared-state-input.ts';

/*
 * A key's leases are a sorted set: member = lease id, score = expiresAt. Expired ones (score <= now) are
 * dropped before counting. The set outlives its longest lease by a grace, then expires with it.
 * ARGV: now, limit, leaseMs, id. Returns 1 when the lease was taken.
 */
const acquireScript = new RedisScript(`${luaFormatNumber}
local now, limit, leaseMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= limit then return 0 end
redis.call('ZADD', KEYS[1], fmt(now + leaseMs), ARGV[4])
local wanted = math.min(1e12, math.ceil(leaseMs) + ${idleGraceMs})
if redis.call('PTTL', KEYS[1]) < wanted then redis.call('PEXPIRE', KEYS[1], wanted) end
return 1
`);

/** Concurrency leases in Redis, shared by every host. Lease ids are random UUIDs. */
export class RedisConcurrencyStore implements ConcurrencyStore {
  readonly #client: Redis;
  readonly #prefix: string;

  /** `prefix` ends with a colon; a key's leases live under `<prefix>cc:<key>`. */
  constructor(client: Redis, prefix: string) {
    this.#client = client;
    this.#prefix = `${prefix}cc:`;
  }

  async acquire(key: string, limit: number, leaseMs: number, now: number): Promise<ConcurrencyLease | undefined> {
    assertLeaseRequest(key, limit, leaseMs);
    assertNow(now);
    const id = randomUUID();
    const taken = await acquireScript.run(this.#client, [this.#prefix + key], [now, limit, leaseMs, id]);
    return taken === 1 ? { key, id } : undefined;
  }

  /** One ZREM: a single command is already atomic, and the set disappears with its last member. */
  async release(lease: ConcurrencyLease): Promise<void> {
    assertLease(lease);
    await this.#client.zrem(this.#prefix + lease.key, lease.id);
  }
}
