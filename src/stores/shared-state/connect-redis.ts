import { once } from 'node:events';
import { Redis } from 'ioredis';

export interface ConnectRedisOptions {
  /** A command with no answer within this fails ("Command timed out"); undefined waits as long as ioredis does. */
  commandTimeoutMs?: number;
  /**
   * Fail a command at once while disconnected, instead of queueing it for the reconnection. The resilient
   * state needs this: a queued command would run later, after its caller was answered from local state.
   */
  failFast: boolean;
  /** Longest pause between reconnection attempts. */
  maxReconnectDelayMs: number;
  connectTimeoutMs: number;
  /** Connection errors, which ioredis would otherwise print as unhandled. */
  onError?: (error: Error) => void;
}

/** An ioredis client for the shared-state stores. The URL may carry credentials: it is never logged here. */
export function connectRedis(url: string, options: ConnectRedisOptions): Redis {
  const client = new Redis(url, {
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    enableOfflineQueue: !options.failFast,
    // Nothing is resent after a reconnection in fail-fast mode, for the same reason as above.
    maxRetriesPerRequest: options.failFast ? 0 : 20,
    retryStrategy: (attempts) => Math.min(attempts * 50, options.maxReconnectDelayMs),
  });
  client.on('error', options.onError ?? (() => {}));
  return client;
}

/** Resolves once the client is connected, or has failed to, or after `timeoutMs`: never rejects. */
export async function waitForConnection(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await once(client, 'ready', { signal: AbortSignal.timeout(timeoutMs) }).catch(() => {});
}

/** Sends QUIT when connected (letting replies in flight arrive), otherwise drops the connection. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  await client.quit().then(
    () => {},
    () => client.disconnect(),
  );
}
