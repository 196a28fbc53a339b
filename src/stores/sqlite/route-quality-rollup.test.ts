import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { RequestRecord } from '../contracts.ts';
import { sqliteMigrations } from '../migrations/sqlite-migrations.ts';
import { openDatabase } from './open-database.ts';
import { SqliteFeedbackStore } from './sqlite-feedback-store.ts';
import { SqliteRequestLogStore } from './sqlite-request-log-store.ts';

const folder = mkdtempSync(join(tmpdir(), 'bulwark-quality-rollup-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(folder, `quality-${(files += 1)}.db`);

const dayMs = 86_400_000;
const day = 20_000; // 2024-10-04, a UTC day number
const startOf = (dayNumber: number): number => dayNumber * dayMs;

let sequence = 0;
const record = (overrides: Partial<RequestRecord> = {}): RequestRecord => ({
  requestId: `req_${(sequence += 1)}`,
  startedAt: startOf(day) + 3_600_000,
  endpoint: '/v1/chat/completions',
  clientFormat: 'openai-chat',
  keyId: 'vk_a',
  modelRequested: 'gpt',
  stream: false,
  status: 200,
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
  latencyMs: 100,
  attempts: 1,
  ...overrides,
});

interface RollupRow {
  day: number;
  route: string;
  score_sum: number;
  scored: number;
  feedback_sum: number;
  feedback_count: number;
}

const rollup = (database: DatabaseSync): RollupRow[] =>
  database.prepare('SELECT * FROM route_quality_daily ORDER BY day, route').all().map((row) => ({ ...row }) as unknown as RollupRow);

/** The roll-up with sums rounded, so float noise from adding and taking back does not fail equality. */
const roundedRollup = (database: DatabaseSync): RollupRow[] =>
  rollup(database).map((row) => ({ ...row, score_sum: Math.round(row.score_sum * 1e9) / 1e9, feedback_sum: Math.round(row.feedback_sum * 1e9) / 1e9 }));

const open = () => {
  const database = openDatabase(freshPath());
  return { database, log: new SqliteRequestLogStore(database), feedback: new SqliteFeedbackStore(database) };
};

const rated = (requestId: string, score: number, keyId = 'vk_a') => ({ requestId, keyId, score, createdAt: startOf(day + 1) });

describe('route_quality_daily (migration 7 triggers)', () => {
  test('a logged request with an automatic score adds it to its route and UTC day; one without adds nothing', () => {
    const { database, log } = open();
    log.appendSync([
      record({ qualityScore: 1 }),
      record({ qualityScore: 0.5 }),
      record({ qualityScore: 0, modelRequested: 'claude' }),
      record({ qualityScore: 1, startedAt: startOf(day + 1) - 1 }),
      record({ qualityScore: 0.25, startedAt: startOf(day + 1) }),
      record({ status: 429 }),
    ]);
    assert.deepEqual(rollup(database), [
      { day, route: 'claude', score_sum: 0, scored: 1, feedback_sum: 0, feedback_count: 0 },
      { day, route: 'gpt', score_sum: 2.5, scored: 3, feedback_sum: 0, feedback_count: 0 },
      { day: day + 1, route: 'gpt', score_sum: 0.25, scored: 1, feedback_sum: 0, feedback_count: 0 },
    ]);
    database.close();
  });

  test('feedback on a request with an automatic score replaces that score: the request still counts once', async () => {
    const { database, log, feedback } = open();
    log.appendSync([record({ requestId: 'scored', qualityScore: 1 }), record({ qualityScore: 1 })]);
    await feedback.record(rated('scored', 0.2));
    assert.deepEqual(roundedRollup(database), [{ day, route: 'gpt', score_sum: 1.2, scored: 2, feedback_sum: 0.2, feedback_count: 1 }]);
    database.close();
  });

  test('feedback on a request without an automatic score (say, a 502) adds a sample', async () => {
    const { database, log, feedback } = open();
    log.appendSync([record({ qualityScore: 1 }), record({ requestId: 'unscored', status: 502, errorCode: 'all_targets_failed' })]);
    await feedback.record(rated('unscored', 0));
    assert.deepEqual(roundedRollup(database), [{ day, route: 'gpt', score_sum: 1, scored: 2, feedback_sum: 0, feedback_count: 1 }]);

    // The first feedback on an unscored request of a route and day with no scores yet creates the row.
    log.appendSync([record({ requestId: 'lonely', modelRequested: 'gemini', status: 504 })]);
    await feedback.record(rated('lonely', 0.75));
    assert.deepEqual(roundedRollup(database)[0], { day, route: 'gemini', score_sum: 0.75, scored: 1, feedback_sum: 0.75, feedback_count: 1 });
    database.close();
  });

  test('replaced feedback swaps the old score for the new, never counting the request twice', async () => {
    const { database, log, feedback } = open();
    log.appendSync([record({ requestId: 'scored', qualityScore: 0.5 }), record({ requestId: 'unscored', status: 500 })]);
    await feedback.record(rated('scored', 1));
    await feedback.record(rated('scored', 0));
    await feedback.record(rated('unscored', 0.4));
    await feedback.record(rated('unscored', 0.8));
    assert.deepEqual(roundedRollup(database), [{ day, route: 'gpt', score_sum: 0.8, scored: 2, feedback_sum: 0.8, feedback_count: 2 }]);
    // The same score again (a new comment only) changes nothing.
    await feedback.record({ ...rated('unscored', 0.8), comment: 'still fine' });
    assert.deepEqual(roundedRollup(database), [{ day, route: 'gpt', score_sum: 0.8, scored: 2, feedback_sum: 0.8, feedback_count: 2 }]);
    database.close();
  });

  test('deleted feedback gives the request back its automatic score, or takes the sample away when it had none', async () => {
    const { database, log, feedback } = open();
    log.appendSync([record({ requestId: 'scored', qualityScore: 0.5 }), record({ requestId: 'unscored', status: 500 })]);
    await feedback.record(rated('scored', 1));
    await feedback.record(rated('unscored', 0.3));
    database.prepare("DELETE FROM feedback WHERE request_id = 'scored'").run();
    assert.deepEqual(roundedRollup(database), [{ day, route: 'gpt', score_sum: 0.8, scored: 2, feedback_sum: 0.3, feedback_count: 1 }]);
    database.prepare("DELETE FROM feedback WHERE request_id = 'unscored'").run();
    assert.deepEqual(roundedRollup(database), [{ day, route: 'gpt', score_sum: 0.5, scored: 1, feedback_sum: 0, feedback_count: 0 }]);
    database.close();
  });

  test('feedback moved to another request (an UPDATE of its request id) leaves the first and rates the second', async () => {
    const { database, log, feedback } = open();
    log.appendSync([record({ requestId: 'first', qualityScore: 1 }), record({ requestId: 'second', qualityScore: 1, modelRequested: 'claude' })]);
    await feedback.record(rated('first', 0));
    database.prepare("UPDATE feedback SET request_id = 'second' WHERE request_id = 'first'").run();
    assert.deepEqual(roundedRollup(database), [
      { day, route: 'claude', score_sum: 0, scored: 1, feedback_sum: 0, feedback_count: 1 },
      { day, route: 'gpt', score_sum: 1, scored: 1, feedback_sum: 0, feedback_count: 0 },
    ]);
    database.close();
  });

  test('feedback rates only the request made with its key; feedback on an unlogged request changes nothing', async () => {
    const { database, log, feedback } = open();
    log.appendSync([record({ requestId: 'shared-id', keyId: 'vk_a', qualityScore: 1 }), record({ requestId: 'shared-id', keyId: 'vk_b', qualityScore: 1, modelRequested: 'claude' })]);
    await feedback.record(rated('shared-id', 0, 'vk_b'));
    await feedback.record(rated('never-logged', 0));
    assert.deepEqual(roundedRollup(database), [
      { day, route: 'claude', score_sum: 0, scored: 1, feedback_sum: 0, feedback_count: 1 },
      { day, route: 'gpt', score_sum: 1, scored: 1, feedback_sum: 0, feedback_count: 0 },
    ]);
    database.prepare("DELETE FROM feedback WHERE request_id = 'never-logged'").run();
    assert.equal(rollup(database).length, 2);
    database.close();
  });

  test('a caller-supplied id used twice by one key: feedback rates the first request, also after the second is logged', async () => {
    const { database, log, feedback } = open();
    log.appendSync([record({ requestId: 'reused', qualityScore: 1 })]);
    await feedback.record(rated('reused', 0));
    log.appendSync([record({ requestId: 'reused', qualityScore: 1, startedAt: startOf(day + 2) })]);
    database.prepare("DELETE FROM feedback WHERE request_id = 'reused'").run();
    assert.deepEqual(roundedRollup(database), [
      { day, route: 'gpt', score_sum: 1, scored: 1, feedback_sum: 0, feedback_count: 0 },
      { day: day + 2, route: 'gpt', score_sum: 1, scored: 1, feedback_sum: 0, feedback_count: 0 },
    ]);
    database.close();
  });

  test('the migration rolls up the feedback already given on requests logged before it', () => {
    const path = freshPath();
    const before = openDatabase(path, { migrations: sqliteMigrations.filter((migration) => migration.version < 7) });
    const insertRequest = before.prepare(`INSERT INTO requests (request_id, started_at, endpoint, client_format, key_id, model_requested, stream, status,
      input_tokens, output_tokens, cached_input_tokens, cache_write_input_tokens, reasoning_tokens, cost_usd, latency_ms, attempts)
      VALUES (?, ?, '/v1/chat/completions', 'openai-chat', 'vk_a', ?, 0, 200, 1, 1, 0, 0, 0, 0, 1, 1)`);
    insertRequest.run('old-1', startOf(day) + 5, 'gpt');
    insertRequest.run('old-2', startOf(day) + 6, 'gpt');
    insertRequest.run('old-3', startOf(day + 1) + 7, 'claude');
    insertRequest.run('old-4', startOf(day + 1) + 8, 'claude');
    const insertFeedback = before.prepare("INSERT INTO feedback (request_id, key_id, score, created_at) VALUES (?, 'vk_a', ?, 0)");
    insertFeedback.run('old-1', 0.5);
    insertFeedback.run('old-2', 1);
    insertFeedback.run('old-3', 0);
    before.close();

    const database = openDatabase(path);
    assert.deepEqual(roundedRollup(database), [
      { day, route: 'gpt', score_sum: 1.5, scored: 2, feedback_sum: 1.5, feedback_count: 2 },
      { day: day + 1, route: 'claude', score_sum: 0, scored: 1, feedback_sum: 0, feedback_count: 1 },
    ]);
    // Requests from before the migration have no automatic score; their columns are NULL.
    assert.deepEqual({ ...database.prepare("SELECT quality_score, quality_signals FROM requests WHERE request_id = 'old-4'").get() }, { quality_score: null, quality_signals: null });
    // And the triggers work on them: deleting the feedback takes the sample back.
    database.prepare("DELETE FROM feedback WHERE request_id = 'old-3'").run();
    assert.deepEqual(roundedRollup(database)[1], { day: day + 1, route: 'claude', score_sum: 0, scored: 0, feedback_sum: 0, feedback_count: 0 });
    database.close();
  });

  test('the roll-up is written in the log batch: a batch that fails leaves it untouched', () => {
    const { database, log } = open();
    log.appendSync([record({ qualityScore: 1 })]);
    assert.throws(() => log.appendSync([record({ qualityScore: 0 }), record({ endpoint: null as unknown as string })]));
    assert.deepEqual(rollup(database), [{ day, route: 'gpt', score_sum: 1, scored: 1, feedback_sum: 0, feedback_count: 0 }]);
    database.close();
  });
});

describe('quality_alerts (migration 7)', () => {
  test('admits one open alert per route, and another once the first is resolved', () => {
    const { database } = open();
    const insert = database.prepare(`INSERT INTO quality_alerts (route, raised_at, previous_score, current_score, previous_samples, current_samples)
      VALUES (?, 1, 0.9, 0.7, 40, 40)`);
    insert.run('gpt');
    assert.throws(() => insert.run('gpt'), /UNIQUE/);
    insert.run('claude');
    database.prepare("UPDATE quality_alerts SET resolved_at = 2 WHERE route = 'gpt'").run();
    insert.run('gpt');
    assert.equal(database.prepare("SELECT count(*) AS count FROM quality_alerts WHERE route = 'gpt'").get()?.count, 2);
    database.close();
  });
});
