import cluster from 'node:cluster';
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../observability/create-logger.ts';
import { createSharedState } from '../stores/shared-state/create-shared-state.ts';
import type { SharedState } from '../stores/shared-state/shared-state.ts';

/**
 * The shared state the config asks for. `auto` keeps it in memory for one process and in the SQLite
 * file when `--workers N` runs several, so limits hold across the workers without any set-up.
 */
export const openSharedState = (config: Config['sharedState'], database: DatabaseSync, logger: Logger): SharedState => {
  switch (config.kind) {
    case 'auto':
      return cluster.isWorker ? createSharedState({ kind: 'sqlite', database }) : createSharedState({ kind: 'memory' });
    case 'memory':
      return createSharedState({ kind: 'memory' });
    case 'sqlite':
      return createSharedState({ kind: 'sqlite', database });
    case 'redis':
      return createSharedState({
        kind: 'redis',
        url: config.url,
        fallback: config.fallback,
        commandTimeoutMs: config.commandTimeoutMs,
        ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
        onStatusChange: (status, cause) =>
          status === 'local'
            ? logger.warn({ error: cause instanceof Error ? cause.message : undefined }, 'redis unreachable: enforcing limits per process until it returns')
            : logger.info('redis reachable again: limits and breakers are shared again'),
      });
  }
};
