import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseSync } from 'node:sqlite';
import type { RequestRecord } from '../../stores/contracts.ts';
import { createInlineAnalyticsReader, type AnalyticsReader } from '../../stores/request-analytics/analytics-queries.ts';
import { generateRequestRecords } from '../../stores/request-analytics/generate-request-records.ts';
import { openDatabase } from '../../stores/sqlite/open-database.ts';
import { SqliteApiKeyStore } from '../../stores/sqlite/sqlite-api-key-store.ts';
import { SqliteRequestLogStore } from '../../stores/sqlite/sqlite-request-log-store.ts';
import { DashboardData } from './dashboard-data.ts';

const dayMs = 86_400_000;
/** Mid-afternoon on the 20th, so "today" and "this month" are both partly past. */
const now = Date.UTC(2026, 10, 20, 15, 30);
const records: RequestRecord[] = generateRequestRecords(3_000, { seed: 11, start: now - 40 * dayMs, days: 40 }).filter((record) => record.startedAt <= now);
const sum = (list: RequestRecord[], value: (record: RequestRecord) => number) => list.reduce((total, record) => total + value(record), 0);
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

let database: DatabaseSync;
let analytics: AnalyticsReader;
let keys: SqliteApiKeyStore;
let clock = now;
let data: DashboardData;

before(async () => {
  database = openDatabase(':memory:');
  await new SqliteRequestLogStore(database).append(records);
  // The generated records use key ids vk_a, vk_b, vk_c; the key store must know their teams for the joins.
  const insertKey = database.prepare("INSERT INTO api_keys (id, name, prefix, secret_hash, models, team, created_at) VALUES (?, ?, 'bk_', ?, '[\"*\"]', ?, 0)");
  insertKey.run('vk_a', 'search-prod', 'hash-a', 'search');
  insertKey.run('vk_b', 'support-bot', 'hash-b', 'support');
  keys = new SqliteApiKeyStore(database);
  analytics = createInlineAnalyticsReader(database);
  data = new DashboardData({
    analytics,
    keys,
    circuits: async () => ({
      'openai/gpt-4o': { phase: 'open', openedAt: now - 5_000, consecutiveFailures: 5, windowSuccesses: 5, windowFailures: 15 },
      'anthropic/claude': { phase: 'closed', consecutiveFailures: 0, windowSuccesses: 0, windowFailures: 0 },
    }),
    budgets: () => [{ name: 'search team', monthlyUsd: 0.5, team: 'search' }, { name: 'everything', monthlyUsd: 100 }],
    qualityWindowDays: () => 7,
    now: () => clock,
    cacheMs: 1_000,
  });
});
after(() => database.close());

describe('dashboard data', () => {
  test('overview: the last 24 hours, spend today and this month, from independent sums', async () => {
    const overview = await data.overview('24h');
    const window = records.filter((record) => record.startedAt >= overview.since && record.startedAt < overview.until);
    assert.equal(overview.totals.requests, window.length);
    assert.equal(overview.series.reduce((total, bucket) => total + bucket.requests, 0), window.length);
    assert.ok(overview.series.length <= 24 && overview.series.every((bucket) => bucket.start % 3_600_000 === 0));
    close(overview.spend.todayUsd, sum(records.filter((record) => record.startedAt >= Date.UTC(2026, 10, 20)), (record) => record.costUsd));
    close(overview.spend.monthToDateUsd, sum(records.filter((record) => record.startedAt >= Date.UTC(2026, 10, 1)), (record) => record.costUsd));
    assert.equal(overview.spend.forecast.month, '2026-11');
    assert.ok(overview.spend.forecast.forecastUsd >= overview.spend.monthToDateUsd - 0.01);
    assert.equal(overview.requestsPerSecond, records.filter((record) => record.startedAt >= now - 300_000).length / 300);
    assert.ok(overview.topModels.length <= 5);
  });

  test('costs: spend by team and by key with its name, and one burn-down per budget', async () => {
    const costs = await data.costs('30d');
    const window = records.filter((record) => record.startedAt >= costs.since);
    const team = costs.byTeam.find((row) => row.group === 'search');
    close(team?.costUsd ?? Number.NaN, sum(window.filter((record) => record.keyId === 'vk_a'), (record) => record.costUsd));
    const key = costs.byKey.find((row) => row.group === 'vk_b');
    assert.equal(key?.keyName, 'support-bot');
    assert.equal(key?.team, 'support');
    assert.equal(costs.daily.length, 30);
    close(sum(window, (record) => record.costUsd), costs.daily.reduce((total, day) => total + day.costUsd, 0));
    assert.deepEqual(costs.budgets.map((budget) => budget.name), ['search team', 'everything']);
    const search = costs.budgets[0];
    // Burn-downs are in cents.
    assert.equal(search?.spentUsd, Math.round(100 * sum(records.filter((record) => record.keyId === 'vk_a' && record.startedAt >= Date.UTC(2026, 10, 1)), (record) => record.costUsd)) / 100);
    assert.ok(costs.byEndUser.length <= 20);
    assert.deepEqual(costs.byModel.map((row) => row.costUsd), costs.byModel.map((row) => row.costUsd).toSorted((a, b) => b - a));
  });

  test('providers: breaker state with its failure rate; keys with their traffic', async () => {
    const providers = await data.providers();
    assert.deepEqual(providers.circuits.map((circuit) => [circuit.deployment, circuit.state, circuit.failureRate]), [
      ['anthropic/claude', 'closed', null],
      ['openai/gpt-4o', 'open', 0.75],
    ]);
    const errorCodes = records.filter((record) => record.startedAt >= now - dayMs && record.errorCode !== undefined).length;
    assert.equal(providers.errorsByCode.reduce((total, row) => total + row.requests, 0), errorCodes);

    const { secret: _secret, key } = await keys.create({ name: 'new key', models: ['*'], team: 'growth' });
    const listed = (await data.keys()).keys.find((row) => row.id === key.id);
    assert.deepEqual([listed?.team, listed?.requests24h, listed?.costUsd30d], ['growth', 0, 0]);
  });

  test('answers are reused within the cache period, then computed again', async () => {
    clock = now + 2_000;
    const first = await data.latency('24h');
    assert.equal(await data.latency('24h'), first);
    clock += 1_000;
    assert.notEqual(await data.latency('24h'), first);
  });

  test('the latency views of wide ranges are reused for longer: a minute for 7 days, five for 30', async () => {
    clock = now + 10_000;
    const week = await data.latency('7d');
    const month = await data.latency('30d');
    clock += 59_000;
    assert.equal(await data.latency('7d'), week);
    clock += 2_000;
    assert.notEqual(await data.latency('7d'), week);
    assert.equal(await data.latency('30d'), month);
    clock += 240_000;
    assert.notEqual(await data.latency('30d'), month);
  });
});
