import { rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A child process the benchmark started: a gateway or the simulator. */
export interface ChildService {
  name: string;
  /** The process id of the child (for a cluster: the primary; its workers are found from /proc). */
  pid: number;
  /** `http://127.0.0.1:port`, without a trailing slash. */
  url: string;
  /** The last lines the child wrote, for error messages. */
  outputTail(): string;
  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  stop(): Promise<void>;
}

export interface SpawnedChild {
  child: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line matching `pattern` the `count`-th time; rejects if the child exits first or time runs out. */
  waitForLines(pattern: RegExp, count: number, timeoutMs: number): Promise<string>;
  outputTail(): string;
  stop(): Promise<void>;
}

const tailLimit = 4_000;
const stopGraceMs = 10_000;

const exitOf = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined);

/** SIGTERM, wait up to the grace period, then SIGKILL: the benchmark never leaves a child behind. */
const stopChild = async (child: ChildProcess): Promise<void> => {
  const exited = exitOf(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), stopGraceMs);
  });
  const outcome = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
};

/**
 * Starts `node <args>` from the repository root. Output is drained continuously (a full pipe would
 * stall the child) and only a short tail is kept.
 */
export const spawnNode = (args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): SpawnedChild => {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  let tail = '';
  let pending = '';
  const lineListeners = new Set<(line: string) => void>();
  const keep = (text: string): void => {
    tail = (tail + text).slice(-tailLimit);
  };
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    keep(text);
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (pending.length > tailLimit) pending = pending.slice(-tailLimit);
    for (const line of lines) for (const listener of lineListeners) listener(line);
  });
  child.stderr?.setEncoding('utf8').on('data', keep);
  const waitForLines = (pattern: RegExp, count: number, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      let seen = 0;
      let first: string | undefined;
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        lineListeners.delete(onLine);
        child.off('exit', onExit);
        if (error === undefined && first !== undefined) resolve(first);
        else reject(error);
      };
      const onLine = (line: string): void => {
        if (!pattern.test(line)) return;
        first ??= line;
        seen += 1;
        if (seen >= count) finish();
      };
      const onExit = (code: number | null): void => finish(new Error(`exited (code ${code}) before it was ready:\n${tail}`));
      const timer = setTimeout(() => finish(new Error(`not ready after ${timeoutMs} ms:\n${tail}`)), timeoutMs);
      lineListeners.add(onLine);
      child.once('exit', onExit);
    });
  return { child, pid: child.pid, waitForLines, outputTail: () => tail, stop: () => stopChild(child) };
};

/** A port that was free a moment ago, for children that cannot listen on port 0 and report it. */
export const findFreePort = async (): Promise<number> => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
};

/** Polls `url` until it answers with `expectedStatus`; for children that print "ready" before they are. */
export const waitForHttp = async (url: string, expectedStatus: number, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === expectedStatus) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : 'request failed';
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer ${expectedStatus} within ${timeoutMs} ms (last: ${last})`);
};

/**
 * The child processes of one benchmark run and its scratch folder: stopped (newest first) and removed
 * once, on `cleanUp()` or when the run is interrupted (SIGINT, SIGTERM; exit code 130).
 */
export const createServiceGroup = (directory: string, progress: (line: string) => void) => {
  const services: ChildService[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const service of services.toReversed()) await service.stop().catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    })();
    return cleaning;
  };
  const interrupt = (): void => {
    progress('interrupted: stopping the child processes…');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  return { services, cleanUp };
};
