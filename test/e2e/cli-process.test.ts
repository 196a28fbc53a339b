import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { startSimulator } from '../../src/simulator/start-simulator.ts';
import { openDatabase } from '../../src/stores/sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../../src/stores/sqlite/sqlite-request-log-store.ts';

const run = promisify(execFile);
const bin = resolve(import.meta.dirname, '../../bin/bulwark.js');
const node = process.execPath;

let simulator: Awaited<ReturnType<typeof startSimulator>>;
let directory: string;

before(async () => {
  simulator = await startSimulator({});
  directory = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
});
after(async () => {
  await simulator.close();
  rmSync(directory, { recursive: true, force: true });
});

const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address !== null ? address.port : 0;
};

const writeConfig = (name: string, port: number, models: string): string => {
  const path = join(directory, `${name}.yaml`);
  writeFileSync(path, `server: { port: ${port} }
storage: { sqlitePath: ${join(directory, `${name}.db`)} }
requestLog: { batchSize: 10000, flushIntervalMs: 600000 }
providers:
  sim: { type: openai-compatible, baseUrl: ${simulator.url}/v1, apiKey: sim }
models:
${models}
`);
  return path;
};

/** Runs `bulwark start` and resolves each time its log prints a line whose `msg` matches. */
const startProcess = (args: string[]) => {
  const child = spawn(node, [bin, 'start', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const waitFor = (message: RegExp, count = 1): Promise<void> =>
    new Promise((resolveWait, reject) => {
      let seen = 0;
      const onLine = (line: string): void => {
        if (message.test(line) && ++seen >= count) {
          lines.off('line', onLine);
          resolveWait();
        }
      };
      lines.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`bulwark exited with ${code} before logging ${message}`)));
    });
  return { child, waitFor };
};

const createKey = async (config: string): Promise<string> => {
  const { stdout } = await run(node, [bin, 'keys', 'create', '--name', 'cli', '--json', '--config', config]);
  return (JSON.parse(stdout) as { key: string }).key;
};

const chat = (port: number, key: string, model: string) =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });

const exited = async (child: ChildProcess): Promise<number | null> => {
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
};

describe('the bulwark command', () => {
  test('keys create, list and revoke', async () => {
    const config = writeConfig('keys', 0, '  a: { targets: [{ provider: sim, model: gpt-4o-mini }] }');
    const { stdout: created } = await run(node, [bin, 'keys', 'create', '--name', 'ci', '--models', 'a,b', '--expires-in', '30d', '--rpm', '60', '--max-concurrent', '4', '--priority', 'high', '--json', '--config', config]);
    const key = JSON.parse(created) as { id: string; key: string; models: string[]; expires_at: string; limits: object; priority: string };
    assert.deepEqual(key.limits, { requestsPerMinute: 60, maxConcurrent: 4 });
    assert.equal(key.priority, 'high');
    assert.match(key.key, /^bk_/);
    assert.deepEqual(key.models, ['a', 'b']);
    assert.ok(Date.parse(key.expires_at) > Date.now() + 29 * 86_400_000);
    const { stdout: listed } = await run(node, [bin, 'keys', 'list', '--json', '--config', config]);
    assert.ok(!listed.includes(key.key), 'list never shows secrets');
    assert.equal((JSON.parse(listed) as Array<{ id: string }>)[0]?.id, key.id);
    const { stdout: revoked } = await run(node, [bin, 'keys', 'revoke', key.id, '--config', config]);
    assert.match(revoked, /revoked/);
    await assert.rejects(run(node, [bin, 'keys', 'create', '--config', config]), (error: { stderr: string; code: number }) => error.code === 2 && /--name/.test(error.stderr));
    await assert.rejects(run(node, [bin, 'keys', 'create', '--name', 'x', '--expires-in', 'soon', '--config', config]), /--expires-in/);
    await assert.rejects(run(node, [bin, 'keys', 'create', '--name', 'x', '--rpm', 'many', '--config', config]), /--rpm takes a positive integer/);
    await assert.rejects(run(node, [bin, 'keys', 'create', '--name', 'x', '--priority', 'urgent', '--config', config]), /--priority/);
  });

  test('start serves, reloads its config on change and on SIGHUP, refuses a bad edit, and flushes the request log on SIGTERM', async () => {
    const port = await freePort();
    const config = writeConfig('serve', port, '  a: { targets: [{ provider: sim, model: gpt-4o-mini }] }');
    const key = await createKey(config);
    const bulwark = startProcess(['--config', config]);
    await bulwark.waitFor(/bulwark listening/);

    assert.equal((await chat(port, key, 'a')).status, 200);
    assert.equal((await chat(port, key, 'b')).status, 404);

    const reloaded = bulwark.waitFor(/config reloaded/);
    writeConfig('serve', port, '  a: { targets: [{ provider: sim, model: gpt-4o-mini }] }\n  b: { targets: [{ provider: sim, model: gpt-4o }] }');
    await reloaded;
    assert.equal((await chat(port, key, 'b')).status, 200);

    const rejected = bulwark.waitFor(/config reload rejected/);
    writeFileSync(config, 'models: { broken: { targets: [] } }\n');
    await rejected;
    assert.equal((await chat(port, key, 'b')).status, 200, 'the running config is kept');

    writeConfig('serve', port, '  a: { targets: [{ provider: sim, model: gpt-4o-mini }] }');
    await bulwark.waitFor(/config reloaded/);
    const onSignal = bulwark.waitFor(/config reloaded/);
    bulwark.child.kill('SIGHUP');
    await onSignal;

    bulwark.child.kill('SIGTERM');
    assert.equal(await exited(bulwark.child), 0);
    const database = openDatabase(join(directory, 'serve.db'));
    const records = new SqliteRequestLogStore(database).querySync({ limit: 100 });
    database.close();
    assert.equal(records.length, 4, 'every request was written by the SIGTERM flush');
    assert.deepEqual(records.map((record) => record.status).sort(), [200, 200, 200, 404]);
  });

  test('start --workers 2 serves from two processes and stops cleanly', async () => {
    const port = await freePort();
    const config = writeConfig('workers', port, '  a: { targets: [{ provider: sim, model: gpt-4o-mini }] }');
    const key = await createKey(config);
    const bulwark = startProcess(['--config', config, '--workers', '2']);
    await bulwark.waitFor(/bulwark listening/, 2);
    const statuses = await Promise.all(Array.from({ length: 20 }, () => chat(port, key, 'a').then((response) => response.status)));
    assert.deepEqual(new Set(statuses), new Set([200]));
    bulwark.child.kill('SIGTERM');
    assert.equal(await exited(bulwark.child), 0);
    const database = openDatabase(join(directory, 'workers.db'));
    const records = new SqliteRequestLogStore(database).querySync({ limit: 100 });
    database.close();
    assert.equal(records.length, 20);
  });
});
