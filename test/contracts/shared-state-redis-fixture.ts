import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createSharedState } from '../../src/stores/shared-state/create-shared-state.ts';
import type { SharedState } from '../../src/stores/shared-state/shared-state.ts';
import type { SharedStateFactory } from './shared-state.contract.ts';

/** The machine's Redis; every run works under its own namespace and deletes it afterwards. */
export const redisUrl = process.env.BULWARK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisTestNamespace {
  /** A namespace of its own for each call. */
  next(): string;
  /** Deletes every key the run created. */
  cleanUp(): Promise<void>;
}

export function redisTestNamespace(label: string): RedisTestNamespace {
  const root = `test-${label}-${process.pid}-${randomUUID().slice(0, 8)}`;
  let count = 0;
  return {
    next: () => `${root}:${++count}`,
    cleanUp: async () => {
      const client = new Redis(redisUrl);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `bulwark:${root}:*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await client.del(...keys);
        } while (cursor !== '0');
      } finally {
        await client.quit();
      }
    },
  };
}

/** A factory of Redis-backed states, each with a peer on its own connection. */
export function redisStateFactory(namespaces: RedisTestNamespace, open: (namespace: string) => SharedState): SharedStateFactory {
  return async () => {
    const namespace = namespaces.next();
    const opened = [open(namespace)];
    return {
      state: opened[0] as SharedState,
      peer: async () => {
        const peer = open(namespace);
        opened.push(peer);
        return peer;
      },
      close: async () => {
        await Promise.all(opened.map((state) => state.close()));
      },
    };
  };
}

export const strictRedisState = (namespace: string): SharedState => createSharedState({ kind: 'redis', url: redisUrl, namespace, fallback: 'none' });
