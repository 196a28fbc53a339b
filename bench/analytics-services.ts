import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { parseConfig } from '../src/config/load-config.ts';
import { findFreePort, spawnNode, waitForHttp, type ChildService } from './processes.ts';
import { benchConfigYaml } from './services.ts';

const repositoryRoot = new URL('..', import.meta.url).pathname;
const bulwarkBin = join(repositoryRoot, 'bin', 'bulwark.js');
const readyTimeoutMs = 30_000;

/**
 * The admin token reaches Bulwark through the environment (`${...}` in the config), so it is never
 * written to the temporary config file. Every process that reads the config needs it.
 */
export const adminTokenVariable = 'BULWARK_BENCH_ADMIN_TOKEN';

export interface AnalyticsBenchConfig {
  configPath: string;
  sqlitePath: string;
  /** The environment every Bulwark process (CLI and server) is started with. */
  environment: Record<string, string>;
}

/** The comparison benchmark's config (simulator as provider, auth and request log on) plus the admin API. */
export const writeAnalyticsBenchConfig = (options: { directory: string; simulatorUrl: string; adminToken: string }): AnalyticsBenchConfig => {
  const configPath = join(options.directory, 'bench.yaml');
  const sqlitePath = join(options.directory, 'bulwark.db');
  const document = parseDocument(benchConfigYaml(options.simulatorUrl, sqlitePath));
  document.setIn(['server', 'adminToken'], `\${${adminTokenVariable}}`);
  const yaml = document.toString();
  const environment = { [adminTokenVariable]: options.adminToken };
  parseConfig(yaml, configPath, environment); // Fails here, with the config error, rather than as a child's exit.
  writeFileSync(configPath, yaml);
  return { configPath, sqlitePath, environment };
};

const createdKeySchema = z.object({ id: z.string().min(1), key: z.string().min(1) });

/** Creates a virtual key with the real CLI, as an operator would; `team` makes it one of that team's keys. */
export const createBenchKey = async (config: AnalyticsBenchConfig, name: string, team?: string): Promise<{ id: string; key: string }> => {
  const args = [bulwarkBin, 'keys', 'create', '--name', name, '--json', '--config', config.configPath, ...(team === undefined ? [] : ['--team', team])];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: repositoryRoot, env: { ...process.env, ...config.environment } });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  const { id, key } = createdKeySchema.parse(JSON.parse(lastLine));
  return { id, key };
};

/** `bulwark start` on the config, one process, as services.ts starts it: ready once it logged "listening" and `/readyz` is 200. */
export const startAnalyticsBulwark = async (config: AnalyticsBenchConfig): Promise<ChildService> => {
  const port = await findFreePort();
  const args = [bulwarkBin, 'start', '--config', config.configPath, '--port', String(port)];
  const spawned = spawnNode(args, { cwd: repositoryRoot, env: { NODE_ENV: 'production', ...config.environment } });
  try {
    await spawned.waitForLines(/"msg":"bulwark listening"/, 1, readyTimeoutMs);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/readyz`, 200, readyTimeoutMs);
    return { name: 'bulwark', pid: spawned.pid, url, outputTail: spawned.outputTail, stop: spawned.stop };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
};
