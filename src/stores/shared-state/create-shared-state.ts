import type { DatabaseSync } from 'node:sqlite';
import { closeRedis, connectRedis } from './connect-redis.ts';
import { MemoryCircuitStore } from './memory-circuit-store.ts';
import { MemoryConcurrencyStore } from './memory-concurrency-store.ts';
import { MemoryRateLimitStore } from './memory-rate-limit-store.ts';
import { RedisCircuitStore } from './redis-circuit-store.ts';
import { RedisConcurrencyStore } from './redis-concurrency-store.ts';
import { RedisRateLimitStore } from './redis-rate-limit-store.ts';
import { redisKeyPrefix } from './redis-script.ts';
import { createResilientRedisState, type ResilientRedisStateOptions } from './resilient-redis-state.ts';
import type { SharedState } from './shared-state.ts';
import { SqliteCircuitStore } from './sqlite-circuit-store.ts';
import { SqliteConcurrencyStore } from './sqlite-concurrency-store.ts';
import { SqliteRateLimitStore } from './sqlite-rate-limit-store.ts';

export type SharedStateOptions =
  | { kind: 'memory' }
  /** A database opened with openDatabase (migrated); it stays the caller's to close. */
  | { kind: 'sqlite'; database: DatabaseSync }
  | ({
      kind: 'redis';
      /**
       * 'local' (default): keep serving from per-process state while Redis is unreachable (see
       * createResilientRedisState). 'none': every call goes to Redis and fails when it does.
       */
      fallback?: 'local' | 'none';
    } & ResilientRedisStateOptions);

/** The shared-state stores of the chosen backing: one process (memory), one host (SQLite), several hosts (Redis). */
export function createSharedState(options: SharedStateOptions): SharedState {
  switch (options.kind) {
    case 'memory':
      return {
        rateLimits: new MemoryRateLimitStore(),
        concurrency: new MemoryConcurrencyStore(),
        circuits: new MemoryCircuitStore(),
        close: async () => {},
      };
    case 'sqlite':
      return {
        rateLimits: new SqliteRateLimitStore(options.database),
        concurrency: new SqliteConcurrencyStore(options.database),
        circuits: new SqliteCircuitStore(options.database),
        close: async () => {},
      };
    case 'redis':
      return options.fallback === 'none' ? createStrictRedisState(options) : createResilientRedisState(options);
  }
}

/** Redis with no fallback: commands wait for a (re)connection, up to `commandTimeoutMs` when set. */
function createStrictRedisState(options: ResilientRedisStateOptions): SharedState {
  const client = connectRedis(options.url, {
    commandTimeoutMs: options.commandTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    failFast: false,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 1_000,
  });
  const prefix = redisKeyPrefix(options.namespace);
  return {
    rateLimits: new RedisRateLimitStore(client, prefix),
    concurrency: new RedisConcurrencyStore(client, prefix),
    circuits: new RedisCircuitStore(client, prefix),
    close: () => closeRedis(client),
  };
}
