import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { dayMs } from '../demo/daily-request-volume.ts';
import { demoKeys } from '../demo/demo-keys.ts';
import { startDemo } from '../demo/start-demo.ts';
import { main } from './main.ts';
import { parseDemoArguments, runDemoCommand } from './demo-command.ts';
import { UsageError } from './parse-arguments.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-demo-command-'));
after(() => rmSync(folder, { recursive: true, force: true }));

describe('bulwark demo arguments', () => {
  test('defaults: port 8787, ./data/demo, 35 days, 4 per second, forever, seed 1', () => {
    assert.deepEqual(parseDemoArguments([]), { port: 8787, dataDirectory: './data/demo', historyDays: 35, rate: 4, durationSeconds: undefined, seed: 1 });
    assert.deepEqual(parseDemoArguments(['--port', '0', '--data', 'x', '--history-days', '0', '--rate', '0.5', '--duration', '90', '--seed', '42']), {
      port: 0, dataDirectory: 'x', historyDays: 0, rate: 0.5, durationSeconds: 90, seed: 42,
    });
    assert.deepEqual(parseDemoArguments(['--duration', 'forever']), parseDemoArguments([]));
    assert.equal(parseDemoArguments(['--help']), 'help');
  });

  test('malformed values are usage errors that name the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--port', '70000'], /--port/],
      [['--port', '-1'], /--port|-1/],
      [['--port', '80.5'], /--port/],
      [['--port', ''], /--port/],
      [['--history-days', '401'], /--history-days/],
      [['--history-days', 'many'], /--history-days/],
      [['--rate', '0'], /--rate/],
      [['--rate', 'fast'], /--rate/],
      [['--rate', '1e3'], /--rate/],
      [['--duration', 'never'], /--duration/],
      [['--duration', '0'], /--duration/],
      [['--duration', '-5'], /--duration|-5/],
      [['--seed', '1.5'], /--seed/],
      [['--seed', '4294967296'], /--seed/],
      [['--data', ' '], /--data/],
      [['--colour'], /colour/],
      [['extra'], /extra/],
    ];
    for (const [argv, message] of cases) assert.throws(() => parseDemoArguments(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
  });

  test('the command exits with 2 on a malformed flag, as the other commands do', async () => {
    const original = console.error;
    console.error = () => {};
    try {
      assert.equal(await main(['demo', '--rate', 'lots']), 2);
    } finally {
      console.error = original;
    }
  });

  test('a data folder that is not the demo\'s is refused before anything starts', async () => {
    const mine = join(folder, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'notes.txt'), 'keep me');
    await assert.rejects(runDemoCommand(['--data', mine, '--port', '0'], { print: () => {}, handleSignals: false }), (error: unknown) => error instanceof UsageError && /refusing to wipe/.test(error.message));
    assert.ok(existsSync(join(mine, 'notes.txt')));
  });
});

describe('bulwark demo, run in-process', () => {
  test('--history-days 3 --duration 3 --rate 10: three past days of history, live rows from today through HTTP, and metrics', async () => {
    const data = join(folder, 'run');
    const parsed = parseDemoArguments(['--history-days', '3', '--duration', '3', '--rate', '10', '--port', '0', '--data', data]);
    assert.notEqual(parsed, 'help');
    if (parsed === 'help') return;
    const lines: string[] = [];
    // The simulator answers at once, so the test does not wait on its latency model.
    const demo = await startDemo({ ...parsed, print: (line) => lines.push(line), simulatorLatency: {}, incidents: false, statusEveryMs: false });
    let stopped = false;
    try {
      await demo.live.finished;
      const metrics = await (await fetch(`${demo.url}/metrics`)).text();
      const served = metrics
        .split('\n')
        .filter((line) => line.startsWith('bulwark_requests_total{'))
        .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
      assert.ok(served > 0, 'the gateway counted requests');
      const stats = await demo.stop();
      stopped = true;
      assert.ok(stats.sent > 0);
      assert.ok((stats.byStatus['200'] ?? 0) > 0, JSON.stringify(stats.byStatus));
    } finally {
      if (!stopped) await demo.stop();
    }

    const database = new DatabaseSync(join(data, 'bulwark.db'), { readOnly: true });
    try {
      const today = Math.floor(Date.now() / dayMs);
      const days = database.prepare('SELECT started_at / 86400000 AS day, count(*) AS requests FROM requests GROUP BY day ORDER BY day').all();
      assert.deepEqual(days.slice(0, 3).map((row) => row['day']), [today - 3, today - 2, today - 1]);
      assert.ok(days.slice(0, 3).every((row) => Number(row['requests']) > 1_000), 'a few thousand a day');
      const live = database.prepare('SELECT key_id, status FROM requests WHERE started_at >= ?').all(today * dayMs);
      assert.ok(live.length > 0, 'live rows from today');
      const keys = new Map(database.prepare('SELECT id, name FROM api_keys').all().map((row) => [row['id'], row['name']]));
      assert.ok(live.every((row) => demoKeys.some((key) => key.name === keys.get(row['key_id']))), 'sent with the demo keys');
      const rolledUp = database.prepare('SELECT sum(requests) AS n FROM request_daily_rollups WHERE day < ?').get(today)?.['n'];
      assert.equal(rolledUp, database.prepare('SELECT count(*) AS n FROM requests WHERE started_at < ?').get(today * dayMs)?.['n'], 'the roll-up holds the history');
    } finally {
      database.close();
    }
    assert.equal(demo.history.days, 3);
  });
});
