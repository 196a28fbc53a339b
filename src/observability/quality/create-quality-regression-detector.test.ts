import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Secret } from '../../core/secret.ts';
import type { RequestRecord } from '../../stores/contracts.ts';
import type { QualityAlert } from '../../stores/request-analytics/quality-alert.ts';
import { QualityAnalytics } from '../../stores/request-analytics/quality-analytics.ts';
import { openDatabase } from '../../stores/sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../../stores/sqlite/sqlite-request-log-store.ts';
import { createQualityRegressionDetector, type IntervalScheduler, type QualityRegressionDetectorOptions } from './create-quality-regression-detector.ts';
import { qualitySchema } from './quality-schema.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-quality-detector-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(folder, `detector-${(files += 1)}.db`);

const dayMs = 86_400_000;
const today = Date.UTC(2026, 4, 20) / dayMs;
const now = today * dayMs + 12 * 3_600_000;
const settings = qualitySchema.parse({}).regression;

let sequence = 0;
const scored = (route: string, daysAgo: number, qualityScore: number): RequestRecord => ({
  requestId: `req_${(sequence += 1)}`, startedAt: (today - daysAgo) * dayMs + 3_600_000, endpoint: '/v1/chat/completions',
  clientFormat: 'openai-chat', keyId: 'vk_a', modelRequested: route, stream: false, status: 200, inputTokens: 1, outputTokens: 1,
  cachedInputTokens: 0, cacheWriteInputTokens: 0, reasoningTokens: 0, costUsd: 0, latencyMs: 1, attempts: 1, qualityScore,
});
/** `count` requests of `route` scored `score`, spread over the current window (days 0..6 ago) or the previous one (7..13). */
const requests = (route: string, window: 'current' | 'previous', count: number, score: number): RequestRecord[] =>
  Array.from({ length: count }, (_, index) => scored(route, (window === 'current' ? 0 : 7) + (index % 7), score));

const recordingLogger = () => {
  const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } };
};

/** A detector on its own connection to `path`, as one gateway process would have; notifications are recorded. */
const detectorOn = (path: string, overrides: Partial<QualityRegressionDetectorOptions> = {}) => {
  const database = openDatabase(path);
  const { lines, logger } = recordingLogger();
  const notified: QualityAlert[] = [];
  const detector = createQualityRegressionDetector({
    database, settings, logger, now: () => now,
    notify: async (alert) => void notified.push(alert),
    ...overrides,
  });
  return { database, detector, lines, notified };
};

const seed = (database: DatabaseSync, records: RequestRecord[]): void => new SqliteRequestLogStore(database).appendSync(records);
const openAlerts = (database: DatabaseSync): QualityAlert[] => new QualityAnalytics(database).listAlerts({ open: true, limit: 100 });

describe('quality regression detector', () => {
  test('route A drops 15%: one alert, logged and announced once, across checks and across processes; B (5%) and C (few samples) raise none', async () => {
    const path = freshPath();
    const first = detectorOn(path);
    seed(first.database, [
      ...requests('route-a', 'previous', 40, 1),
      ...requests('route-a', 'current', 28, 1), ...requests('route-a', 'current', 12, 0.5),
      ...requests('route-b', 'previous', 40, 1),
      ...requests('route-b', 'current', 36, 1), ...requests('route-b', 'current', 4, 0.5),
      ...requests('route-c', 'previous', 10, 1), ...requests('route-c', 'current', 10, 0),
    ]);

    const outcome = await first.detector.check();
    assert.deepEqual(outcome.raised.map((alert) => alert.route), ['route-a']);
    const [alert] = outcome.raised;
    assert.ok(alert);
    assert.deepEqual({ ...alert, drop: Math.round(alert.drop * 1e9) / 1e9 }, {
      id: alert.id, route: 'route-a', raisedAt: now, previousScore: 1, currentScore: 0.85, drop: 0.15, previousSamples: 40, currentSamples: 40, resolvedAt: null,
    });
    assert.deepEqual(first.notified, [alert]);
    const warnings = first.lines.filter((line) => line.level === 'warn');
    assert.deepEqual(warnings.map((line) => [line.message, line.fields.route, line.fields.alertId]), [['quality regression', 'route-a', alert.id]]);

    // The next check finds the alert open: nothing new.
    assert.deepEqual(await first.detector.check(), { raised: [], resolved: [] });
    // Another process's detector on the same file: its insert is refused, so it neither logs nor announces.
    const second = detectorOn(path);
    assert.deepEqual(await second.detector.check(), { raised: [], resolved: [] });
    assert.deepEqual(second.notified, []);
    assert.deepEqual(second.lines, []);
    assert.equal(first.notified.length, 1);
    assert.deepEqual(openAlerts(first.database).map((open) => open.id), [alert.id]);
    first.database.close();
    second.database.close();
  });

  test('a drop of exactly the threshold raises; one just under it does not', async () => {
    const exact = detectorOn(freshPath());
    seed(exact.database, [...requests('route-a', 'previous', 30, 1), ...requests('route-a', 'current', 30, 0.9)]);
    assert.equal((await exact.detector.check()).raised.length, 1);
    exact.database.close();

    const under = detectorOn(freshPath());
    seed(under.database, [...requests('route-a', 'previous', 30, 1), ...requests('route-a', 'current', 30, 0.91)]);
    assert.equal((await under.detector.check()).raised.length, 0);
    under.database.close();
  });

  test('recovery: the alert stays open while the drop is above half the threshold, and resolves below it', async () => {
    const { database, detector, lines, notified } = detectorOn(freshPath());
    seed(database, [...requests('route-a', 'previous', 40, 1), ...requests('route-a', 'current', 28, 1), ...requests('route-a', 'current', 12, 0.5)]);
    const [raised] = (await detector.check()).raised;
    assert.ok(raised);

    // 80 / 86 ≈ 0.930: a 7% drop, between 5% and 10%: unchanged.
    seed(database, requests('route-a', 'current', 46, 1));
    assert.deepEqual(await detector.check(), { raised: [], resolved: [] });
    assert.equal(openAlerts(database).length, 1);

    // 180 / 186 ≈ 0.968: a 3% drop: resolved, logged at info, and announced with its resolvedAt.
    seed(database, requests('route-a', 'current', 100, 1));
    const { resolved } = await detector.check();
    assert.deepEqual(resolved, [{ ...raised, resolvedAt: now }]);
    assert.deepEqual(openAlerts(database), []);
    assert.deepEqual(lines.filter((line) => line.level === 'info').map((line) => [line.message, line.fields.route]), [['quality regression resolved', 'route-a']]);
    assert.deepEqual(notified.map((alert) => alert.resolvedAt), [null, now]);
    database.close();
  });

  test('a route with too few samples now keeps its alert as it is', async () => {
    const path = freshPath();
    const thisWeek = detectorOn(path);
    seed(thisWeek.database, [...requests('route-a', 'previous', 30, 1), ...requests('route-a', 'current', 30, 0.5)]);
    assert.equal((await thisWeek.detector.check()).raised.length, 1);
    // A week on, this week is the previous window and the new one has five requests, all fine: too few to judge.
    const nextWeek = detectorOn(path, { now: () => now + 7 * dayMs });
    seed(nextWeek.database, Array.from({ length: 5 }, () => scored('route-a', -3, 1)));
    assert.deepEqual(await nextWeek.detector.check(), { raised: [], resolved: [] });
    assert.equal(openAlerts(nextWeek.database).length, 1);
    thisWeek.database.close();
    nextWeek.database.close();
  });

  test('start checks at once and then on every tick of its interval; stop cancels the timer', async () => {
    const database = openDatabase(freshPath());
    const scheduled: Array<{ ms: number; run: () => void; cancelled: boolean }> = [];
    const scheduler: IntervalScheduler = (ms, run) => {
      const entry = { ms, run, cancelled: false };
      scheduled.push(entry);
      return () => void (entry.cancelled = true);
    };
    let checks = 0;
    const counting = createQualityRegressionDetector({
      database, settings: { ...settings, intervalMinutes: 15 }, logger: recordingLogger().logger, scheduler,
      now: () => ((checks += 1), now),
    });
    counting.start();
    counting.start(); // a second start does not schedule twice
    assert.equal(scheduled.length, 1);
    assert.equal(scheduled[0]?.ms, 15 * 60_000);
    assert.equal(checks, 1);
    // A tick while the first check is still settling is skipped; once it has settled, the tick checks.
    scheduled[0]?.run();
    assert.equal(checks, 1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    scheduled[0]?.run();
    assert.equal(checks, 2);
    counting.stop();
    assert.equal(scheduled[0]?.cancelled, true);
    counting.start(); // stopping is final
    assert.equal(scheduled.length, 1);
    database.close();
  });

  test('a check that fails is logged, and the timer goes on', async () => {
    const database = openDatabase(freshPath());
    const { lines, logger } = recordingLogger();
    let run: (() => void) | undefined;
    const detector = createQualityRegressionDetector({ database, settings, logger, now: () => now, scheduler: (_ms, tick) => ((run = tick), () => {}) });
    database.close();
    detector.start();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(lines.map((line) => [line.level, line.message]), [['error', 'quality check failed']]);
    assert.ok(run);
    run();
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(lines.length, 2);
    await assert.rejects(detector.check());
  });

  test('by default a raised alert is POSTed to the configured webhook, by the one process that raised it', async () => {
    const bodies: unknown[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const webhookUrl = new Secret(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
    const path = freshPath();
    const connections = [openDatabase(path), openDatabase(path)];
    const [one, two] = connections.map((database) =>
      createQualityRegressionDetector({ database, settings: { ...settings, webhookUrl }, logger: recordingLogger().logger, now: () => now }),
    );
    seed(connections[0] as DatabaseSync, [...requests('route-a', 'previous', 30, 1), ...requests('route-a', 'current', 30, 0.6)]);
    const [raised] = (await one?.check())?.raised ?? [];
    await two?.check();
    assert.deepEqual(bodies, [JSON.parse(JSON.stringify(raised))]);
    receiver.close();
    for (const database of connections) database.close();
  });
});
