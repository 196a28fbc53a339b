import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DatabaseSync } from 'node:sqlite';
import Fastify, { type FastifyInstance } from 'fastify';
import { Secret } from '../src/core/secret.ts';
import { openaiChatFormat } from '../src/formats/openai-chat/index.ts';
import { createAdminGuard } from '../src/server/routes/admin-routes.ts';
import { registerAnalyticsRoutes } from '../src/server/routes/analytics-routes.ts';
import { createInlineAnalyticsReader } from '../src/stores/request-analytics/analytics-queries.ts';
import { generateRequestRecords } from '../src/stores/request-analytics/generate-request-records.ts';
import { openDatabase } from '../src/stores/sqlite/open-database.ts';
import { SqliteApiKeyStore } from '../src/stores/sqlite/sqlite-api-key-store.ts';
import { SqliteRequestLogStore } from '../src/stores/sqlite/sqlite-request-log-store.ts';
import { relabelRecords } from './analytics-log.ts';
import { analyticsCallOrder, analyticsQueryMix } from './analytics-query-mix.ts';

const days = 30;
const now = Date.UTC(2026, 0, 31);
let database: DatabaseSync;
let app: FastifyInstance;
let keyId: string;

before(async () => {
  database = openDatabase(':memory:');
  const keys = new SqliteApiKeyStore(database);
  keyId = (await keys.create({ name: 'search-app', models: ['*'], team: 'search' })).key.id;
  const other = (await keys.create({ name: 'support-bot', models: ['*'], team: 'support' })).key.id;
  const records = generateRequestRecords(3_000, { seed: 7, start: now - days * 86_400_000, days });
  await new SqliteRequestLogStore(database).append(relabelRecords(records, 0, { vk_a: keyId, vk_b: other, vk_c: 'vk_c' }));
  app = Fastify();
  const guard = createAdminGuard(() => new Secret('admin-secret'));
  registerAnalyticsRoutes(app, { analytics: createInlineAnalyticsReader(database), guard, errorFormat: openaiChatFormat, now: () => now });
  await app.ready();
});
after(async () => {
  await app.close();
  database.close();
});

test('every call of the mix is accepted by the real admin routes and finds rows in a generated log', async () => {
  for (const shape of analyticsQueryMix({ keyId, team: 'search', endUser: 'bob', model: 'gpt' })) {
    const response = await app.inject({ method: 'GET', url: shape.path, headers: { authorization: 'Bearer admin-secret' } });
    assert.equal(response.statusCode, 200, `${shape.name}: ${response.body}`);
    assert.ok(response.json<{ data: unknown[] }>().data.length > 0, `${shape.name} found no rows`);
  }
});

test('query values are URL-encoded, so a subject cannot add parameters', () => {
  const [, , , oneKey] = analyticsQueryMix({ keyId: 'vk_1&groupBy=day', team: 'a b', endUser: 'bob', model: 'gpt' });
  assert.equal(new URL(oneKey?.path ?? '', 'http://x').searchParams.get('key'), 'vk_1&groupBy=day');
  assert.equal(new URL(oneKey?.path ?? '', 'http://x').searchParams.has('groupBy'), false);
});

test('shape names are unique: the report keys its rows by them', () => {
  const names = analyticsQueryMix({ keyId, team: 'search', endUser: 'bob', model: 'gpt' }).map((shape) => shape.name);
  assert.equal(new Set(names).size, names.length);
});

test('each round holds every shape once, starting one shape further on than the round before', () => {
  assert.deepEqual(analyticsCallOrder(['a', 'b', 'c'], 4), ['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b', 'a', 'b', 'c']);
  assert.deepEqual(analyticsCallOrder(['a', 'b'], 0), []);
  assert.deepEqual(analyticsCallOrder([], 3), []);
});
