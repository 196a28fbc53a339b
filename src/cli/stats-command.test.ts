import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RequestRecord } from '../stores/contracts.ts';
import { generateRequestRecords } from '../stores/request-analytics/generate-request-records.ts';
import { openDatabase } from '../stores/sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../stores/sqlite/sqlite-request-log-store.ts';
import { UsageError } from './parse-arguments.ts';
import { runStatsCommand, type StatsReport } from './stats-command.ts';

const now = Date.UTC(2026, 0, 8);
const folder = mkdtempSync(join(tmpdir(), 'bulwark-stats-'));
const configPath = join(folder, 'bulwark.yaml');
// Three days of traffic ending now: `--since 24h` must see only the last day's.
const records: RequestRecord[] = generateRequestRecords(600, { seed: 11, start: now - 3 * 86_400_000, days: 3 });
const lastDay = records.filter((record) => record.startedAt >= now - 86_400_000);

before(async () => {
  writeFileSync(configPath, `storage: { sqlitePath: ${join(folder, 'bulwark.db')} }\nlogging: { level: silent }\n`);
  const database = openDatabase(join(folder, 'bulwark.db'));
  // One key the store knows, so the report can name it; the generated records use vk_a, vk_b, vk_c.
  database.prepare("INSERT INTO api_keys (id, name, prefix, secret_hash, models, team, created_at) VALUES ('vk_a', 'search-app', 'bk_', 'hash', '[\"*\"]', 'search', 0)").run();
  await new SqliteRequestLogStore(database).append(records);
  database.close();
});
after(() => rmSync(folder, { recursive: true, force: true }));

const run = async (argv: string[]): Promise<string[]> => {
  const lines: string[] = [];
  await runStatsCommand([...argv, '--config', configPath], (line) => lines.push(line), now);
  return lines;
};

describe('bulwark stats', () => {
  test('--since 24h prints the last day\'s spend, P95, error rate and top models and keys', async () => {
    const lines = await run(['--since', '24h']);
    const text = lines.join('\n');
    assert.match(text, new RegExp(`requests\\s+${lastDay.length}\\n`));
    const spend = lastDay.reduce((sum, record) => sum + record.costUsd, 0);
    assert.match(text, new RegExp(`spend\\s+\\$${spend.toFixed(spend < 1 ? 4 : 2).replace('.', '\\.')}`));
    const errors = lastDay.filter((record) => record.status >= 400).length;
    assert.match(text, new RegExp(`error rate\\s+${((errors / lastDay.length) * 100).toFixed(1).replace('.', '\\.')}% \\(${errors}\\)`));
    assert.match(text, /latency\s+p50 \d+ ms {2}p95 \d+ ms/);
    assert.match(text, /Top models by spend\n {2}(gpt|claude|gemini|embed) /);
    assert.match(text, /Top keys by spend\n/);
    assert.match(text, /\n {2}search-app \(search\) +\$/, 'a known key is shown by name and team');
    assert.match(text, /\n {2}vk_b +\$/, 'an unknown key by its id');
  });

  test('--json gives the report, with the P95 of the window, and --top limits the lists', async () => {
    const [line] = await run(['--since', '24h', '--json', '--top', '2']);
    const report = JSON.parse(line ?? '') as StatsReport;
    const sorted = lastDay.map((record) => record.latencyMs).toSorted((a, b) => a - b);
    assert.equal(report.total?.p95LatencyMs, sorted[Math.ceil(0.95 * sorted.length) - 1]);
    assert.equal(report.topModels.length, 2);
    assert.ok((report.topModels[0]?.costUsd ?? 0) >= (report.topModels[1]?.costUsd ?? 0));
  });

  test('an empty window says so', async () => {
    assert.deepEqual((await run(['--since', '2020-01-01', '--until', '2020-01-02'])).length, 1);
  });

  test('malformed flags are usage errors', async () => {
    for (const argv of [['--since', 'yesterday'], ['--until', '2026-99-01'], ['--top', '0'], ['--colour'], ['extra']]) {
      await assert.rejects(run(argv), UsageError, argv.join(' '));
    }
  });
});
