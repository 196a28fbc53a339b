import { performance } from 'node:perf_hooks';
import { closeRedis, connectRedis, waitForConnection } from './connect-redis.ts';
import { createFallbackStores } from './fallback-stores.ts';
import { FallbackSwitch } from './fallback-switch.ts';
import { MemoryCircuitStore } from './memory-circuit-store.ts';
import { MemoryConcurrencyStore } from './memory-concurrency-store.ts';
import { MemoryRateLimitStore } from './memory-rate-limit-store.ts';
import { RedisCircuitStore } from './redis-circuit-store.ts';
import { RedisConcurrencyStore } from './redis-concurrency-store.ts';
import { RedisRateLimitStore } from './redis-rate-limit-store.ts';
import { redisKeyPrefix } from './redis-script.ts';
import type { SharedState, SharedStateStatus } from './shared-state.ts';

export interface ResilientRedisStateOptions {
  /** `redis://[user:password@]host:port[/db]`; `rediss://` for TLS. */
  url: string;
  /** Keys are `bulwark:<namespace>:…`, so deployments (or test runs) sharing a server stay apart. */
  namespace?: string;
  /** A command unanswered after this counts as Redis being down. Default 100. */
  commandTimeoutMs?: number;
  /** While local, Redis is probed at most this often. Default 1,000. */
  probeIntervalMs?: number;
  /** How long the first calls wait for the first connection before going local. Default 1,000. */
  connectTimeoutMs?: number;
  /** Longest pause between reconnection attempts. Default 1,000. */
  maxReconnectDelayMs?: number;
  /** Monotonic milliseconds, for spacing probes; tests pass their own. */
  clock?: () => number;
  /** Each switch, for logs and metrics: 'local' comes with the error that caused it. */
  onStatusChange?: (status: SharedStateStatus, cause?: unknown) => void;
}

export interface ResilientSharedState extends SharedState {
  status(): SharedStateStatus;
}

/**
 * Redis-backed shared state that keeps serving when Redis is unreachable. Documented policy: while
 * Redis is down, limits are enforced per process and breakers are per process (each process starts
 * from full buckets and closed circuits); once a probe (at most one per second) finds Redis again,
 * every call goes back to it, resuming the shared state where it was.
 */
export function createResilientRedisState(options: ResilientRedisStateOptions): ResilientSharedState {
  const connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
  const client = connectRedis(options.url, {
    commandTimeoutMs: options.commandTimeoutMs ?? 100,
    connectTimeoutMs,
    failFast: true,
    maxReconnectDelayMs: options.maxReconnectDelayMs ?? 1_000,
  });
  const prefix = redisKeyPrefix(options.namespace);
  const remote = {
    rateLimits: new RedisRateLimitStore(client, prefix),
    concurrency: new RedisConcurrencyStore(client, prefix),
    circuits: new RedisCircuitStore(client, prefix),
  };
  const local = { rateLimits: new MemoryRateLimitStore(), concurrency: new MemoryConcurrencyStore(), circuits: new MemoryCircuitStore() };
  const fallbackSwitch: FallbackSwitch = new FallbackSwitch({
    probe: () => client.ping(),
    probeIntervalMs: options.probeIntervalMs ?? 1_000,
    clock: options.clock ?? (() => performance.now()),
    onStatusChange: options.onStatusChange,
    onRecovered: () => stores.releasePending(),
    connected: waitForConnection(client, connectTimeoutMs),
  });
  const stores = createFallbackStores(remote, local, fallbackSwitch);
  // A reconnection is a good moment to probe (still at most once per interval).
  client.on('ready', () => fallbackSwitch.probeSoon());
  return {
    rateLimits: stores.rateLimits,
    concurrency: stores.concurrency,
    circuits: stores.circuits,
    status: () => fallbackSwitch.status(),
    close: async () => {
      fallbackSwitch.stop();
      await closeRedis(client);
    },
  };
}
