import cluster from 'node:cluster';
import { watch } from 'node:fs';
import { startBulwark } from '../app/start-bulwark.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../observability/create-logger.ts';
import { parseArguments, UsageError } from './parse-arguments.ts';
import { resolveConfigPath } from './resolve-config-path.ts';

const usage = `Usage: bulwark start [--config PATH] [--port N] [--workers N]`;

const forward = (signal: NodeJS.Signals): void => {
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
};

/** Forks N workers that share the listening port (node:cluster) and passes signals on to them. */
const superviseWorkers = (count: number): void => {
  let stopping = false;
  for (let index = 0; index < count; index++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited with ${code}; starting another`);
    cluster.fork();
  });
  process.on('SIGHUP', () => forward('SIGHUP'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      forward('SIGTERM');
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    });
  }
};

/** `bulwark start`: serves until SIGTERM/SIGINT, reloading the config on change or SIGHUP. */
export const runStartCommand = async (argv: string[]): Promise<void> => {
  const { values } = parseArguments(argv, { config: { type: 'string' }, port: { type: 'string' }, workers: { type: 'string' } }, usage);
  const workers = values.workers === undefined ? 1 : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers takes a positive integer\n\n${usage}`);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port takes 0-65535\n\n${usage}`);
  const configPath = resolveConfigPath(values.config);
  const config = await loadConfig(configPath);
  if (workers > 1 && cluster.isPrimary) {
    superviseWorkers(workers);
    return;
  }

  const logger = createLogger(config.logging.level);
  const running = await startBulwark({ config, logger, ...(port === undefined ? {} : { port }) });

  let reloadTimer: NodeJS.Timeout | undefined;
  const reload = (): void => {
    loadConfig(configPath).then(
      (next) => running.reload(next),
      (error: unknown) => logger.error({ error: (error as Error).message }, 'config reload rejected; keeping the running config'),
    );
  };
  // Editors save in several writes: wait for the file to settle.
  const watcher = watch(configPath, () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(reload, 200);
  });
  process.on('SIGHUP', reload);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight and flushing the request log');
    watcher.close();
    clearTimeout(reloadTimer);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
};
