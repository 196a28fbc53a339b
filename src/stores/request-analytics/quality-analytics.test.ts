import assert from 'node:assert/strict';
import type { DatabaseSync } from 'node:sqlite';
import { describe, test } from 'node:test';
import type { RequestRecord } from '../contracts.ts';
import { openDatabase } from '../sqlite/open-database.ts';
import { SqliteFeedbackStore } from '../sqlite/sqlite-feedback-store.ts';
import { SqliteRequestLogStore } from '../sqlite/sqlite-request-log-store.ts';
import { QualityAlertStore } from './quality-alert-store.ts';
import { QualityAnalytics } from './quality-analytics.ts';

const dayMs = 86_400_000;
const today = Date.UTC(2026, 2, 15) / dayMs; // 2026-03-15
const at = (dayNumber: number, hour = 12): number => dayNumber * dayMs + hour * 3_600_000;
const now = at(today, 9);

let sequence = 0;
const record = (route: string, startedAt: number, qualityScore?: number, requestId = `req_${(sequence += 1)}`): RequestRecord => ({
  requestId, startedAt, endpoint: '/v1/chat/completions', clientFormat: 'openai-chat', keyId: 'vk_a', modelRequested: route,
  stream: false, status: qualityScore === undefined ? 502 : 200, inputTokens: 1, outputTokens: 1, cachedInputTokens: 0,
  cacheWriteInputTokens: 0, reasoningTokens: 0, costUsd: 0, latencyMs: 1, attempts: 1,
  ...(qualityScore === undefined ? {} : { qualityScore }),
});

const setUp = (): { database: DatabaseSync; log: SqliteRequestLogStore; feedback: SqliteFeedbackStore; analytics: QualityAnalytics } => {
  const database = openDatabase(':memory:');
  return { database, log: new SqliteRequestLogStore(database), feedback: new SqliteFeedbackStore(database), analytics: new QualityAnalytics(database) };
};

describe('routeQuality', () => {
  test('per route and UTC day: mean effective score, samples and feedback, for every day the window overlaps', async () => {
    const { log, feedback, analytics } = setUp();
    log.appendSync([
      record('gpt', at(today - 2), 1),
      record('gpt', at(today - 2), 0.5, 'rated'),
      record('gpt', at(today - 1), 1),
      record('claude', at(today - 1), 0),
      record('gpt', at(today - 1), undefined, 'failed'),
      record('gpt', at(today - 5), 1),
    ]);
    await feedback.record({ requestId: 'rated', keyId: 'vk_a', score: 0, createdAt: now });
    await feedback.record({ requestId: 'failed', keyId: 'vk_a', score: 1, createdAt: now });
    // Mid-day bounds still select the whole days they touch.
    assert.deepEqual(analytics.routeQuality({ since: at(today - 2, 18), until: at(today - 1, 1) }), [
      { day: '2026-03-13', route: 'gpt', score: 0.5, samples: 2, feedbackCount: 1 },
      { day: '2026-03-14', route: 'claude', score: 0, samples: 1, feedbackCount: 0 },
      { day: '2026-03-14', route: 'gpt', score: 1, samples: 2, feedbackCount: 1 },
    ]);
    // `until` at midnight excludes the day it opens.
    assert.deepEqual(analytics.routeQuality({ since: at(today - 2, 0), until: at(today - 1, 0) }).map((row) => row.day), ['2026-03-13']);
    assert.deepEqual(analytics.routeQuality({ since: now, until: now }), []);
  });

  test('a day whose only sample lost its feedback has a null score', async () => {
    const { database, log, feedback, analytics } = setUp();
    log.appendSync([record('gpt', at(today), undefined, 'unscored')]);
    await feedback.record({ requestId: 'unscored', keyId: 'vk_a', score: 1, createdAt: now });
    database.prepare('DELETE FROM feedback').run();
    assert.deepEqual(analytics.routeQuality({ since: at(today, 0), until: at(today + 1, 0) }), [
      { day: '2026-03-15', route: 'gpt', score: null, samples: 0, feedbackCount: 0 },
    ]);
  });

  test('malformed windows are refused', () => {
    const { analytics } = setUp();
    for (const window of [{ since: Number.NaN, until: 1 }, { since: 0, until: Infinity }, { since: 10, until: 5 }, { since: '1' as unknown as number, until: 5 }]) {
      assert.throws(() => analytics.routeQuality(window), RangeError, JSON.stringify(window));
    }
  });
});

describe('compareRouteQuality', () => {
  test('compares the last windowDays days, today included, with the windowDays before; change is a signed fraction', () => {
    const { log, analytics } = setUp();
    log.appendSync([
      // Current window: today and the 6 days before it.
      record('gpt', at(today, 1), 0.8),
      record('gpt', at(today - 6, 0), 0.6),
      // Previous window: the 7 days before that.
      record('gpt', at(today - 7, 23), 1),
      record('gpt', at(today - 13, 0), 0.8),
      // Outside both windows.
      record('gpt', at(today - 14, 23), 0),
      record('gpt', at(today + 1, 0), 0),
      // Only in one window each.
      record('new-route', at(today), 1),
      record('old-route', at(today - 10), 0.5),
    ]);
    const comparisons = analytics.compareRouteQuality(now);
    assert.deepEqual(comparisons.map(({ change, ...rest }) => ({ ...rest, change: change === null ? null : Math.round(change * 1e9) / 1e9 })), [
      { route: 'gpt', currentScore: 0.7, currentSamples: 2, previousScore: 0.9, previousSamples: 2, change: -0.222222222 },
      { route: 'new-route', currentScore: 1, currentSamples: 1, previousScore: null, previousSamples: 0, change: null },
      { route: 'old-route', currentScore: null, currentSamples: 0, previousScore: 0.5, previousSamples: 1, change: null },
    ]);
    assert.deepEqual(analytics.compareRouteQuality(now, 1).find((row) => row.route === 'gpt'), {
      route: 'gpt', currentScore: 0.8, currentSamples: 1, previousScore: null, previousSamples: 0, change: null,
    });
  });

  test('a previous score of 0 has no relative change', () => {
    const { log, analytics } = setUp();
    log.appendSync([record('gpt', at(today), 0.5), record('gpt', at(today - 8), 0)]);
    assert.equal(analytics.compareRouteQuality(now)[0]?.change, null);
  });

  test('malformed arguments are refused', () => {
    const { analytics } = setUp();
    assert.throws(() => analytics.compareRouteQuality(Number.NaN), RangeError);
    for (const windowDays of [0, 1.5, -7, 10_000]) assert.throws(() => analytics.compareRouteQuality(now, windowDays), RangeError, String(windowDays));
  });
});

describe('recentFeedback', () => {
  test('newest first, with comments (null when none), at most `limit`', async () => {
    const { log, feedback, analytics } = setUp();
    log.appendSync([record('gpt', at(today), 1, 'a'), record('gpt', at(today), 1, 'b'), record('gpt', at(today), 1, 'c')]);
    await feedback.record({ requestId: 'a', keyId: 'vk_a', score: 1, comment: 'great', createdAt: 3 });
    await feedback.record({ requestId: 'b', keyId: 'vk_a', score: 0, createdAt: 1 });
    await feedback.record({ requestId: 'c', keyId: 'vk_a', score: 0.5, createdAt: 2 });
    assert.deepEqual(analytics.recentFeedback(2), [
      { requestId: 'a', score: 1, comment: 'great', createdAt: 3 },
      { requestId: 'c', score: 0.5, comment: null, createdAt: 2 },
    ]);
    for (const limit of [0, -1, 2.5, 1_001]) assert.throws(() => analytics.recentFeedback(limit), RangeError, String(limit));
  });
});

describe('alerts', () => {
  const figures = { route: 'gpt', previousScore: 0.9, currentScore: 0.72, previousSamples: 40, currentSamples: 50 };

  test('raise opens one alert per route; a second raise while it is open returns nothing', () => {
    const { database } = setUp();
    const alerts = new QualityAlertStore(database);
    const raised = alerts.raise(figures, 1_000.7);
    assert.ok(raised);
    assert.equal(raised.raisedAt, 1_000);
    assert.equal(Math.round(raised.drop * 1e9) / 1e9, 0.2);
    assert.deepEqual({ ...raised, drop: 0 }, { id: raised.id, ...figures, raisedAt: 1_000, drop: 0, resolvedAt: null });
    assert.equal(alerts.raise({ ...figures, currentScore: 0.5 }, 2_000), undefined);
    assert.ok(alerts.raise({ ...figures, route: 'claude' }, 2_000));
  });

  test('resolve closes the open alert once, after which a new one may be raised', () => {
    const { database } = setUp();
    const alerts = new QualityAlertStore(database);
    const first = alerts.raise(figures, 1_000);
    assert.equal(alerts.resolve('other', 1_500), undefined);
    assert.deepEqual(alerts.resolve('gpt', 2_000), { ...first, resolvedAt: 2_000 });
    assert.equal(alerts.resolve('gpt', 2_500), undefined);
    const second = alerts.raise(figures, 3_000);
    assert.ok(second && first && second.id !== first.id);
  });

  test('listAlerts: newest first, filtered by open or resolved, at most `limit`', () => {
    const { database, analytics } = setUp();
    const alerts = new QualityAlertStore(database);
    alerts.raise(figures, 1_000);
    alerts.resolve('gpt', 1_500);
    alerts.raise({ ...figures, route: 'claude' }, 2_000);
    alerts.raise(figures, 3_000);
    assert.deepEqual(analytics.listAlerts({ limit: 10 }).map((alert) => [alert.route, alert.raisedAt, alert.resolvedAt]), [
      ['gpt', 3_000, null],
      ['claude', 2_000, null],
      ['gpt', 1_000, 1_500],
    ]);
    assert.deepEqual(analytics.listAlerts({ open: true, limit: 1 }).map((alert) => alert.raisedAt), [3_000]);
    assert.deepEqual(analytics.listAlerts({ open: false, limit: 10 }).map((alert) => alert.raisedAt), [1_000]);
    assert.throws(() => analytics.listAlerts({ limit: 0 }), RangeError);
    assert.throws(() => analytics.listAlerts({ open: 'yes' as unknown as boolean, limit: 5 }), TypeError);
  });
});
