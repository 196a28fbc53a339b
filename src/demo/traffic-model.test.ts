import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { errorCatalog, isErrorCode } from '../core/errors/index.ts';
import { computeCost, createPriceCatalog } from '../cost/price-catalog.ts';
import type { RequestRecord } from '../stores/contracts.ts';
import { RequestAnalytics } from '../stores/request-analytics/request-analytics.ts';
import { openDatabase } from '../stores/sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../stores/sqlite/sqlite-request-log-store.ts';
import { backfillHistory } from './backfill-history.ts';
import { qualityRegression } from './choose-outcome.ts';
import { dailyGrowth, dailyRequestVolume, dayMs, weekdayWeight } from './daily-request-volume.ts';
import { demoKeys } from './demo-keys.ts';
import { demoProviders, demoRoutes } from './demo-routes.ts';
import { generateHistory, type HistoryOptions } from './generate-history.ts';
import { trafficWeight } from './traffic-weight.ts';

const catalog = createPriceCatalog(JSON.parse(readFileSync(new URL('../cost/prices.json', import.meta.url), 'utf8')));
const lookupPrice = (providerType: string, model: string) => catalog.lookup(providerType, model);
const keyIds = new Map(demoKeys.map((key) => [key.name, `vk_${key.name}`]));
// A Thursday, so that the three weeks before it hold whole weekends.
const today = Date.UTC(2026, 2, 12) / dayMs;
const options: HistoryOptions = { days: 21, today, seed: 7, keyIds, lookupPrice, weekdayRequestsToday: 1_200 };
const history = [...generateHistory(options)];
const records = history.flat();

const utcDay = (record: RequestRecord): number => Math.floor(record.startedAt / dayMs);
const isWeekend = (day: number): boolean => [0, 6].includes(new Date(day * dayMs).getUTCDay());
const at = (hour: number): number => trafficWeight(hour, 'interactive');
const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('traffic curve', () => {
  test('interactive traffic is quiet at night and peaks mid-morning and mid-afternoon, with a lunch dip', () => {
    assert.ok(at(3) < 0.15 * at(10.5), 'night is under 15% of the morning peak');
    assert.ok(at(10.5) > at(13) && at(15.5) > at(13), 'both peaks stand above lunch');
    assert.ok(at(10.5) > at(7) && at(15.5) > at(19), 'and above the shoulders');
    assert.equal(at(0), at(24), 'the day wraps around');
  });

  test('batch traffic runs around the clock with a nightly job', () => {
    assert.ok(trafficWeight(2, 'batch') > 2 * trafficWeight(14, 'batch'));
    assert.ok(trafficWeight(14, 'batch') > 0.5);
  });

  test('weekends carry about a third of a weekday, and volume grows 1% a day', () => {
    const saturday = Date.UTC(2026, 2, 7) / dayMs;
    assert.equal(weekdayWeight(saturday, 'interactive'), 0.35);
    assert.equal(weekdayWeight(saturday + 2, 'interactive'), 1);
    const weekAgo = dailyRequestVolume(today - 7, today, 1_000, 'interactive');
    assert.ok(Math.abs(dailyRequestVolume(today, today, 1_000, 'interactive') / weekAgo - dailyGrowth ** 7) < 1e-9);
  });
});

describe('generated history', () => {
  test('covers the whole days before today, oldest first, each sorted by time', () => {
    assert.equal(history.length, options.days);
    history.forEach((day, index) => {
      assert.ok(day.length > 0);
      assert.ok(day.every((record) => utcDay(record) === today - options.days + index));
      assert.ok(day.every((record, position) => position === 0 || (day[position - 1]?.startedAt ?? 0) <= record.startedAt));
    });
  });

  test('has the diurnal and weekday shape of the model', () => {
    const perDay = history.map((day) => day.length);
    const days = history.map((day) => utcDay(day[0] as RequestRecord));
    const weekdays = mean(perDay.filter((_, index) => !isWeekend(days[index] ?? 0)));
    const weekends = mean(perDay.filter((_, index) => isWeekend(days[index] ?? 0)));
    assert.ok(weekends < 0.6 * weekdays && weekends > 0.3 * weekdays, `weekends ${weekends} vs weekdays ${weekdays}`);
    const interactive = new Set(demoKeys.filter((key) => key.pattern === 'interactive').map((key) => `vk_${key.name}`));
    const byHour = Array.from({ length: 24 }, (_, hour) =>
      records.filter((record) => interactive.has(record.keyId ?? '') && new Date(record.startedAt).getUTCHours() === hour).length);
    const [night = 0, morning = 0, lunch = 0, afternoon = 0] = [3, 10, 13, 15].map((hour) => byHour[hour]);
    assert.ok(morning > lunch && afternoon > lunch, `10:00 ${morning}, 13:00 ${lunch}, 15:00 ${afternoon}`);
    assert.ok(night < 0.2 * Math.max(...byHour), 'the night is quiet');
  });

  test('the same seed gives the same records; another seed does not', () => {
    assert.deepEqual([...generateHistory(options)].flat(), records);
    const other = [...generateHistory({ ...options, seed: 8 })].flat();
    assert.notDeepEqual(other.slice(0, 50), records.slice(0, 50));
  });

  test('records are shaped like the recorder\'s: statuses, error codes, providers, costs from the price catalog', () => {
    for (const record of records) {
      const route = demoRoutes[record.modelRequested as keyof typeof demoRoutes];
      assert.ok(route !== undefined, record.modelRequested);
      assert.match(record.requestId, /^req_[\w-]{16}$/);
      assert.equal(record.status >= 400, record.errorCode !== undefined);
      if (record.errorCode !== undefined) {
        assert.ok(isErrorCode(record.errorCode), record.errorCode);
        assert.equal(errorCatalog[record.errorCode].status, record.status);
      }
      if (record.errorCode === 'key_rate_limited') {
        assert.equal(record.attempts, 0);
        assert.equal(record.provider, undefined);
      } else {
        assert.ok(Object.hasOwn(demoProviders, record.provider ?? ''));
        assert.ok(route.targets.some((target) => target.provider === record.provider && target.model === record.upstreamModel));
        assert.ok(record.attempts >= (record.attemptFailures?.length ?? 0));
      }
      if (record.attemptFailures !== undefined) assert.ok(record.attemptFailures.length > 0);
      assert.equal(record.timeToFirstTokenMs !== undefined, record.stream && (record.status === 200 || record.errorCode === 'upstream_stream_interrupted'));
      assert.equal(record.finishReason !== undefined, record.status === 200 && route.kind === 'chat');
      assert.ok(record.cachedInputTokens + record.cacheWriteInputTokens <= record.inputTokens);
      const provider = record.provider === undefined ? undefined : demoProviders[record.provider as keyof typeof demoProviders];
      const price = provider === undefined ? undefined : lookupPrice(provider.type, record.upstreamModel ?? '');
      const expected = price === undefined ? 0 : computeCost(record, price);
      assert.equal(record.costUsd, expected);
      if (record.status !== 200) assert.equal(record.costUsd, 0);
    }
  });

  test('about 1–2% of requests fail, and retries and fallbacks show in the attempts', () => {
    const errorShare = records.filter((record) => record.status >= 400).length / records.length;
    assert.ok(errorShare > 0.005 && errorShare < 0.03, `error share ${errorShare}`);
    assert.ok(records.some((record) => record.status === 200 && record.attempts === 2 && record.attemptFailures?.[0]?.code === 'circuit_open'));
    assert.ok(records.some((record) => record.status === 200 && record.attemptFailures?.[0]?.provider === record.provider));
    assert.ok(records.some((record) => record.status === 429 && record.errorCode === 'upstream_rate_limited'));
  });

  test('quality scores are mostly 1, and the regressing route drops about 15% in the last week', () => {
    const scored = records.filter((record) => record.qualityScore !== undefined);
    assert.ok(mean(scored.map((record) => record.qualityScore ?? 0)) > 0.9);
    assert.ok(records.every((record) => record.modelRequested !== 'embed' || record.qualityScore === undefined));
    const weekAverage = (route: string, fromDaysAgo: number) =>
      mean(scored.filter((record) => record.modelRequested === route && today - utcDay(record) <= fromDaysAgo && today - utcDay(record) > fromDaysAgo - 7).map((record) => record.qualityScore ?? 0));
    const drop = 1 - weekAverage(qualityRegression.route, 7) / weekAverage(qualityRegression.route, 14);
    assert.ok(drop > 0.1 && drop < 0.22, `drop ${drop}`);
    const steady = 1 - weekAverage('fast', 7) / weekAverage('fast', 14);
    assert.ok(Math.abs(steady) < 0.03, `fast moved ${steady}`);
  });
});

describe('backfill', () => {
  test('every record goes through the SQLite store unchanged, and the daily roll-up totals equal the generated costs', async () => {
    const database = openDatabase(':memory:');
    try {
      const store = new SqliteRequestLogStore(database);
      const result = await backfillHistory(store, { ...options, batchSize: 997 });
      assert.equal(result.requests, records.length);
      for (const day of history) {
        const since = utcDay(day[0] as RequestRecord) * dayMs;
        assert.deepEqual(store.querySync({ since, until: since + dayMs, limit: 10_000 }).toReversed(), day);
      }

      const rollup = new RequestAnalytics(database).daily({ since: (today - options.days) * dayMs, until: today * dayMs });
      assert.equal(rollup.length, options.days);
      history.forEach((day, index) => {
        const row = rollup[index];
        assert.equal(row?.requests, day.length);
        const cost = day.reduce((sum, record) => sum + record.costUsd, 0);
        assert.ok(Math.abs((row?.costUsd ?? 0) - cost) < 1e-9, `${row?.day}: ${row?.costUsd} vs ${cost}`);
      });
      assert.ok(Math.abs(result.costUsd - records.reduce((sum, record) => sum + record.costUsd, 0)) < 1e-9);
    } finally {
      database.close();
    }
  });
});
