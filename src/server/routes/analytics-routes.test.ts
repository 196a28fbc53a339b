import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseSync } from 'node:sqlite';
import Fastify, { type FastifyInstance } from 'fastify';
import { Secret } from '../../core/secret.ts';
import { openaiChatFormat } from '../../formats/openai-chat/index.ts';
import { generateRequestRecords } from '../../stores/request-analytics/generate-request-records.ts';
import { createInlineAnalyticsReader } from '../../stores/request-analytics/analytics-queries.ts';
import { openDatabase } from '../../stores/sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../../stores/sqlite/sqlite-request-log-store.ts';
import { createAdminGuard } from './admin-routes.ts';
import { registerAnalyticsRoutes } from './analytics-routes.ts';

const records = generateRequestRecords(300, { seed: 3, days: 3 });
const now = Date.UTC(2026, 0, 4);
let database: DatabaseSync;
let app: FastifyInstance;

before(async () => {
  database = openDatabase(':memory:');
  await new SqliteRequestLogStore(database).append(records);
  app = Fastify();
  const guard = createAdminGuard(() => new Secret('admin-secret'));
  registerAnalyticsRoutes(app, { analytics: createInlineAnalyticsReader(database), guard, errorFormat: openaiChatFormat, now: () => now });
  await app.ready();
});
after(async () => {
  await app.close();
  database.close();
});

/** An empty token sends no Authorization header at all. */
const get = (url: string, token = 'admin-secret') =>
  app.inject({ method: 'GET', url, headers: token === '' ? {} : { authorization: `Bearer ${token}` } });

interface ErrorBody {
  error: { message: string; type: string; param?: string | null };
}

describe('admin analytics routes', () => {
  test('refuse a missing or wrong admin token with 401', async () => {
    for (const token of ['', 'wrong']) {
      const response = await get('/admin/analytics/summary', token);
      assert.equal(response.statusCode, 401);
      assert.match(response.json<ErrorBody>().error.message, /admin token/);
    }
    assert.equal((await get('/admin/analytics/requests', '')).statusCode, 401);
  });

  test('summary groups by model with filters and a relative since', async () => {
    const response = await get('/admin/analytics/summary?groupBy=model&since=2d&status=2xx&provider=openai');
    assert.equal(response.statusCode, 200);
    const body = response.json<{ groupBy: string; data: Array<{ group: string; requests: number; errors: number }> }>();
    const expected = records.filter((record) => record.startedAt >= now - 2 * 86_400_000 && record.status < 300 && record.provider === 'openai');
    assert.equal(body.groupBy, 'model');
    assert.equal(body.data.reduce((sum, row) => sum + row.requests, 0), expected.length);
    assert.ok(body.data.every((row) => row.errors === 0));
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('daily totals come from the roll-up, by day', async () => {
    const body = (await get('/admin/analytics/daily?groupBy=key&status=5xx')).json<{ data: Array<{ day: string; requests: number }> }>();
    const expected = records.filter((record) => record.status >= 500).length;
    assert.equal(body.data.reduce((sum, row) => sum + row.requests, 0), expected);
    assert.deepEqual([...new Set(body.data.map((row) => row.day))], ['2026-01-01', '2026-01-02', '2026-01-03']);
  });

  test('requests pages the raw log newest first', async () => {
    const body = (await get('/admin/analytics/requests?limit=3&endUser=alice&until=2026-01-03T00:00:00Z')).json<{ data: Array<{ startedAt: number; endUser: string }> }>();
    const expected = records.filter((record) => record.endUser === 'alice' && record.startedAt < Date.UTC(2026, 0, 3)).map((record) => record.startedAt).toSorted((a, b) => b - a).slice(0, 3);
    assert.deepEqual(body.data.map((row) => row.startedAt), expected);
  });

  test('malformed parameters are 400 in OpenAI error JSON, naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/admin/analytics/summary?groupBy=colour', 'groupBy'],
      ['/admin/analytics/summary?since=yesterday', 'since'],
      ['/admin/analytics/summary?until=2026-13-45', 'until'],
      ['/admin/analytics/summary?status=600', 'status'],
      ['/admin/analytics/summary?model=a&model=b', 'model'],
      ['/admin/analytics/summary?bogus=1', ''],
      ['/admin/analytics/requests?limit=0', 'limit'],
      ['/admin/analytics/requests?limit=5000', 'limit'],
      ['/admin/analytics/requests?limit=ten', 'limit'],
      ['/admin/analytics/daily?groupBy=endUser', 'groupBy'],
      ['/admin/analytics/daily?endUser=alice', ''],
    ];
    for (const [url, param] of cases) {
      const response = await get(url);
      assert.equal(response.statusCode, 400, url);
      const body = response.json<ErrorBody>();
      assert.equal(body.error.type, 'invalid_request_error', url);
      if (param !== '') assert.equal(body.error.param, param, url);
    }
  });
});
