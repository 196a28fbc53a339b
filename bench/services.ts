import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { parseConfig } from '../src/config/load-config.ts';
import { benchModel, type BulwarkTargetName } from './targets.ts';
import { findFreePort, spawnNode, waitForHttp, type ChildService } from './processes.ts';

const repositoryRoot = new URL('..', import.meta.url).pathname;
const bulwarkBin = join(repositoryRoot, 'bin', 'bulwark.js');
const readyTimeoutMs = 30_000;

/** `bulwark simulate` in its own process, answering at once (ttft 0, unlimited tokens per second). */
export const startSimulatorService = async (): Promise<ChildService> => {
  const spawned = spawnNode([bulwarkBin, 'simulate', '--port', '0', '--ttft-ms', '0'], { cwd: repositoryRoot });
  try {
    const line = await spawned.waitForLines(/listening on http:\/\//, 1, readyTimeoutMs);
    const url = /(http:\/\/\S+)/.exec(line)?.[1];
    if (url === undefined) throw new Error(`cannot read the simulator's URL from "${line}"`);
    return { name: 'simulator', pid: spawned.pid, url, outputTail: spawned.outputTail, stop: spawned.stop };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
};

/**
 * The benchmark's Bulwark config: one OpenAI-compatible provider (the simulator), auth and request log
 * on. `metrics: false` adds `metrics: { enabled: false }` and changes nothing else, so two Bulwarks
 * started from the two configs differ only in whether Prometheus metrics are recorded.
 */
export const benchConfigYaml = (simulatorUrl: string, sqlitePath: string, options: { metrics: boolean } = { metrics: true }): string => `
server: { host: 127.0.0.1, port: 0 }
storage: { sqlitePath: ${JSON.stringify(sqlitePath)} }
logging: { level: info }
providers:
  simulator: { type: openai-compatible, baseUrl: ${JSON.stringify(`${simulatorUrl}/v1`)}, apiKey: bench-upstream-key }
models:
  ${benchModel}: { targets: [{ provider: simulator, model: ${benchModel} }] }
${options.metrics ? '' : 'metrics: { enabled: false }\n'}`;

const createdKeySchema = z.object({ key: z.string().min(1) });

/** Creates a virtual key with the real CLI, as an operator would, in the database Bulwark will open. */
const createVirtualKey = async (configPath: string): Promise<string> => {
  const { stdout } = await promisify(execFile)(process.execPath, [bulwarkBin, 'keys', 'create', '--name', 'bench', '--json', '--config', configPath], { cwd: repositoryRoot });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return createdKeySchema.parse(JSON.parse(lastLine)).key;
};

export interface BulwarkService extends ChildService {
  /** The virtual key callers send as `Authorization: Bearer`. */
  key: string;
}

export interface BulwarkServiceOptions {
  simulatorUrl: string;
  /** Where its config and SQLite file go; each Bulwark gets files named after it, so two can share it. */
  directory: string;
  workers: number;
  /** `bulwark` (metrics on, the default config) or `bulwark-no-metrics` (metrics off). */
  name?: BulwarkTargetName;
}

/**
 * `bulwark start` as a child process (a cluster of `workers` when above 1). Ready once every worker
 * has logged "bulwark listening" and `/readyz` answers 200.
 */
export const startBulwarkService = async (options: BulwarkServiceOptions): Promise<BulwarkService> => {
  const name = options.name ?? 'bulwark';
  const configPath = join(options.directory, name === 'bulwark' ? 'bench.yaml' : `bench-${name}.yaml`);
  const yaml = benchConfigYaml(options.simulatorUrl, join(options.directory, `${name}.db`), { metrics: name === 'bulwark' });
  parseConfig(yaml, configPath, {}); // Fails here, with the config error, rather than as a child's exit.
  writeFileSync(configPath, yaml);
  const key = await createVirtualKey(configPath);
  const port = await findFreePort();
  const args = [bulwarkBin, 'start', '--config', configPath, '--port', String(port), '--workers', String(options.workers)];
  const spawned = spawnNode(args, { cwd: repositoryRoot, env: { NODE_ENV: 'production' } });
  try {
    await spawned.waitForLines(/"msg":"bulwark listening"/, options.workers, readyTimeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/readyz`, 200, readyTimeoutMs);
    return { name, pid: spawned.pid, url, key, outputTail: spawned.outputTail, stop: spawned.stop };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
};

/** The installed Portkey gateway's entry point and version. */
export const portkeyPackage = (): { entry: string; version: string } => {
  const manifestPath = createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json');
  const manifest = z.object({ version: z.string() }).parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return { entry: join(dirname(manifestPath), 'build', 'start-server.js'), version: manifest.version };
};

/**
 * The Portkey gateway (`@portkey-ai/gateway`) as a child process, on the same Node. It reads only
 * `--port=N` (with `=`) and `--headless` (no web UI, no log stream); it always binds every interface,
 * but the benchmark only sends it 127.0.0.1 traffic.
 */
export const startPortkeyService = async (): Promise<ChildService> => {
  const port = await findFreePort();
  const spawned = spawnNode([portkeyPackage().entry, `--port=${port}`, '--headless'], { cwd: repositoryRoot, env: { NODE_ENV: 'production' } });
  try {
    await spawned.waitForLines(/Ready for connections/, 1, readyTimeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/`, 200, readyTimeoutMs);
    return { name: 'portkey', pid: spawned.pid, url, outputTail: spawned.outputTail, stop: spawned.stop };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
};
