import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = resolve(import.meta.dirname, '../../bin/bulwark.js');

/** One line of the process's pino log: `msg` plus whatever fields it carried. */
export type LogLine = Record<string, unknown> & { msg?: string };

/** A `bulwark start` child process, listening. */
export interface BulwarkProcess {
  /** `http://127.0.0.1:<port>`, as its "bulwark listening" line said. */
  url: string;
  pid: number;
  /** Every log line so far, in order. */
  lines(): readonly LogLine[];
  /** The first log line (already seen or yet to come) whose `msg` matches and that passes `where`. */
  waitFor(message: RegExp, where?: (line: LogLine) => boolean): Promise<LogLine>;
  /** SIGTERM, then its exit code once it has exited; idempotent. */
  stop(): Promise<number | null>;
}

const parseLine = (text: string): LogLine => {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as LogLine;
  } catch {
    // Not JSON (a warning printed by Node itself): kept as text.
  }
  return { msg: text };
};

const exited = (child: ChildProcessByStdio<null, Readable, Readable>): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : (once(child, 'exit') as Promise<[number | null]>).then(([code]) => code);

/**
 * Runs `bulwark start --config <path>` and resolves once it logs "bulwark listening". Start it with
 * `server.port: 0` and read the port from `url`: no race for a free port. The log level must be info
 * or lower for the listening line to appear.
 */
export const startBulwarkProcess = async (configPath: string): Promise<BulwarkProcess> => {
  const child = spawn(process.execPath, [bin, 'start', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: LogLine[] = [];
  const waiters = new Set<{ message: RegExp; where: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = parseLine(text);
    seen.push(line);
    for (const waiter of waiters) {
      if (waiter.message.test(line.msg ?? '') && waiter.where(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exit = exited(child);

  const waitFor = (message: RegExp, where: (line: LogLine) => boolean = () => true): Promise<LogLine> => {
    const already = seen.find((line) => message.test(line.msg ?? '') && where(line));
    if (already !== undefined) return Promise.resolve(already);
    return new Promise((resolveWait, reject) => {
      waiters.add({ message, where, resolve: resolveWait });
      exit.then((code) => reject(new Error(`bulwark exited with ${code} before logging ${message}: ${stderr.slice(-2000)}`)));
    });
  };

  const listening = await waitFor(/^bulwark listening$/);
  if (typeof listening.url !== 'string' || child.pid === undefined) throw new Error('bulwark logged "listening" without its url');
  return {
    url: listening.url,
    pid: child.pid,
    lines: () => seen,
    waitFor,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
};

/** `bulwark keys create --json`: the new key's id and secret (the config's database is migrated on the way). */
export const createKeyWithCli = async (configPath: string, name: string): Promise<{ id: string; secret: string }> => {
  const { stdout } = await run(process.execPath, [bin, 'keys', 'create', '--name', name, '--json', '--config', configPath]);
  const parsed: unknown = JSON.parse(stdout);
  if (typeof parsed !== 'object' || parsed === null || !('key' in parsed) || !('id' in parsed) || typeof parsed.key !== 'string' || typeof parsed.id !== 'string') {
    throw new Error('keys create printed no key');
  }
  return { id: parsed.id, secret: parsed.key };
};
