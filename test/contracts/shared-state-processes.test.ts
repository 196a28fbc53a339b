import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { createSharedState } from '../../src/stores/shared-state/create-shared-state.ts';
import { openDatabase } from '../../src/stores/sqlite/open-database.ts';
import { redisTestNamespace, redisUrl } from './shared-state-redis-fixture.ts';

const hammer = join(import.meta.dirname, 'shared-state-hammer-process.ts');
const now = 1_700_000_000_000;

type Backing = { kind: 'sqlite'; path: string } | { kind: 'redis'; url: string; namespace: string };

interface Child {
  process: ChildProcessByStdio<Writable, Readable, null>;
  lines: AsyncIterator<string>;
}

const nextLine = async (child: Child): Promise<string> => {
  const line = await child.lines.next();
  if (line.done === true) throw new Error('a hammer process ended without answering');
  return line.value;
};

/** Runs `count` processes against one bucket of `capacity`, started together; returns each one's successes. */
async function hammerTogether(backing: Backing, count: number, capacity: number, attempts: number): Promise<number[]> {
  const children: Child[] = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, [hammer, JSON.stringify({ backing, attempts, capacity, inFlight: 4 })], { stdio: ['pipe', 'pipe', 'inherit'] });
    return { process: child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
  });
  try {
    for (const child of children) assert.equal(await nextLine(child), 'ready');
    for (const child of children) child.process.stdin.end('go\n');
    const results = await Promise.all(children.map(nextLine));
    return results.map((line) => {
      const parsed: unknown = JSON.parse(line);
      assert.ok(typeof parsed === 'object' && parsed !== null && 'allowed' in parsed && typeof parsed.allowed === 'number');
      return parsed.allowed;
    });
  } finally {
    for (const child of children) if (child.process.exitCode === null) child.process.kill();
  }
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

describe('shared state across processes', () => {
  test('sqlite: three processes hammering one bucket of 300 get exactly 300 tokens between them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'bulwark-hammer-'));
    try {
      const path = join(folder, 'bulwark.db');
      openDatabase(path).close();
      const allowed = await hammerTogether({ kind: 'sqlite', path }, 3, 300, 250);
      assert.equal(sum(allowed), 300, `per process: ${allowed.join(', ')}`);
      const database = openDatabase(path);
      const state = createSharedState({ kind: 'sqlite', database });
      assert.deepEqual((await state.rateLimits.consume([{ key: 'hammered', capacity: 300, refillPerSecond: 1, amount: 0 }], now)).remaining, [0]);
      database.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  const namespaces = redisTestNamespace('processes');
  after(() => namespaces.cleanUp());

  test('redis: three processes hammering one bucket of 300 get exactly 300 tokens between them', async () => {
    const namespace = namespaces.next();
    const allowed = await hammerTogether({ kind: 'redis', url: redisUrl, namespace }, 3, 300, 250);
    assert.equal(sum(allowed), 300, `per process: ${allowed.join(', ')}`);
    const state = createSharedState({ kind: 'redis', url: redisUrl, namespace, fallback: 'none' });
    try {
      assert.deepEqual((await state.rateLimits.consume([{ key: 'hammered', capacity: 300, refillPerSecond: 1, amount: 0 }], now)).remaining, [0]);
    } finally {
      await state.close();
    }
  });
});
