import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseSync } from 'node:sqlite';
import type { RequestRecord } from '../contracts.ts';
import { openDatabase } from '../sqlite/open-database.ts';
import { SqliteRequestLogStore } from '../sqlite/sqlite-request-log-store.ts';
import type { AnalyticsSummaryRow } from './analytics-query.ts';
import { generateRequestRecords } from './generate-request-records.ts';
import { RequestAnalytics } from './request-analytics.ts';

/** Nearest rank, written independently of the SQL: the value at 1-based position ceil(p/100 × n). */
const nearestRank = (values: number[], p: number): number | null => {
  if (values.length === 0) return null;
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? null;
};

const expectedRow = (group: string | null, records: RequestRecord[]): AnalyticsSummaryRow => {
  const latencies = records.map((record) => record.latencyMs);
  const ttfts = records.flatMap((record) => (record.timeToFirstTokenMs === undefined ? [] : [record.timeToFirstTokenMs]));
  const errors = records.filter((record) => record.status >= 400).length;
  return {
    group,
    requests: records.length,
    errors,
    errorRate: errors / records.length,
    p50LatencyMs: nearestRank(latencies, 50) ?? Number.NaN,
    p95LatencyMs: nearestRank(latencies, 95) ?? Number.NaN,
    p99LatencyMs: nearestRank(latencies, 99) ?? Number.NaN,
    p50TimeToFirstTokenMs: nearestRank(ttfts, 50),
    p95TimeToFirstTokenMs: nearestRank(ttfts, 95),
    p99TimeToFirstTokenMs: nearestRank(ttfts, 99),
    inputTokens: records.reduce((sum, record) => sum + record.inputTokens, 0),
    outputTokens: records.reduce((sum, record) => sum + record.outputTokens, 0),
    costUsd: records.reduce((sum, record) => sum + record.costUsd, 0),
  };
};

const groupBy = (records: RequestRecord[], key: (record: RequestRecord) => string | null): Map<string | null, RequestRecord[]> => {
  const groups = new Map<string | null, RequestRecord[]>();
  for (const record of records) groups.set(key(record), [...(groups.get(key(record)) ?? []), record]);
  return groups;
};

/** Cost sums in a different order differ in the last bits; compare them to a cent's millionth. */
const byGroup = (rows: AnalyticsSummaryRow[]) => rows.toSorted((a, b) => String(a.group).localeCompare(String(b.group)));
const strip = (rows: AnalyticsSummaryRow[]) => byGroup(rows).map(({ costUsd, ...rest }) => ({ ...rest, costUsd: Math.round(costUsd * 1e8) }));
const assertRowsEqual = (actual: AnalyticsSummaryRow[], expected: AnalyticsSummaryRow[]): void => {
  assert.deepEqual(strip(actual), strip(expected));
};

const totalsOnly = ({ group, requests, errors, inputTokens, outputTokens, costUsd }: AnalyticsSummaryRow) =>
  ({ group, requests, errors, inputTokens, outputTokens, costUsd: Math.round(costUsd * 1e8) });
const byName = <Row extends { group: string | null }>(rows: Row[]) => rows.toSorted((a, b) => String(a.group).localeCompare(String(b.group)));

const day = (time: number): string => new Date(time).toISOString().slice(0, 10);
/** vk_c has no team; requests without a key have none either. */
const teams: Record<string, string | null> = { vk_a: 'search', vk_b: 'support', vk_c: null };
const teamOf = (record: RequestRecord): string | null => (record.keyId === undefined ? null : teams[record.keyId] ?? null);
const records = generateRequestRecords(2_000, { seed: 7, days: 5 });
let database: DatabaseSync;
let analytics: RequestAnalytics;

before(async () => {
  database = openDatabase(':memory:');
  const store = new SqliteRequestLogStore(database);
  // Several batches, as the worker writes them, so the roll-up trigger also updates existing rows.
  for (let index = 0; index < records.length; index += 250) await store.append(records.slice(index, index + 250));
  const insertKey = database.prepare("INSERT INTO api_keys (id, name, prefix, secret_hash, models, team, created_at) VALUES (?, ?, 'bk_', ?, '[\"*\"]', ?, 0)");
  for (const [id, team] of Object.entries(teams)) insertKey.run(id, id, `hash-${id}`, team);
  analytics = new RequestAnalytics(database);
});
after(() => database.close());

describe('request analytics summary', () => {
  test('the ungrouped total matches an independent computation', () => {
    assertRowsEqual(analytics.summary({}), [expectedRow(null, records)]);
  });

  const groupings = {
    model: (record: RequestRecord) => record.modelRequested,
    provider: (record: RequestRecord) => record.provider ?? null,
    key: (record: RequestRecord) => record.keyId ?? null,
    team: teamOf,
    errorCode: (record: RequestRecord) => record.errorCode ?? null,
    deployment: (record: RequestRecord) => (record.provider === undefined || record.upstreamModel === undefined ? null : `${record.provider}/${record.upstreamModel}`),
    endUser: (record: RequestRecord) => record.endUser ?? null,
    endpoint: (record: RequestRecord) => record.endpoint,
    status: (record: RequestRecord) => String(record.status),
    day: (record: RequestRecord) => day(record.startedAt),
  } as const;
  for (const [name, key] of Object.entries(groupings)) {
    test(`grouped by ${name}, every group matches`, () => {
      const expected = [...groupBy(records, key)].map(([group, members]) => expectedRow(group, members));
      assertRowsEqual(analytics.summary({}, name as keyof typeof groupings), expected);
      assert.deepEqual(byName(analytics.totals({}, name as keyof typeof groupings).map((row) => totalsOnly({ ...expectedRow(null, []), ...row }))), byName(expected.map(totalsOnly)));
    });
  }

  test('filters narrow the set, together with a half-open time range', () => {
    const since = Date.UTC(2026, 0, 2, 6);
    const until = Date.UTC(2026, 0, 4, 18);
    const matching = records.filter((record) => record.startedAt >= since && record.startedAt < until && record.keyId === 'vk_a' && record.modelRequested === 'gpt');
    assert.ok(matching.length > 20);
    assertRowsEqual(analytics.summary({ since, until, keyId: 'vk_a', model: 'gpt' }), [expectedRow(null, matching)]);
    const boundary = records[0]?.startedAt ?? 0;
    const atBoundary = records.filter((record) => record.startedAt === boundary).length;
    assert.equal(analytics.summary({ since: boundary, until: boundary + 1 })[0]?.requests, atBoundary);
    assert.deepEqual(analytics.summary({ since: boundary, until: boundary }), []);
  });

  test('end user, provider, endpoint, status and status class filters', () => {
    const cases = [
      [{ endUser: 'bob' }, (record: RequestRecord) => record.endUser === 'bob'],
      [{ team: 'support' }, (record: RequestRecord) => teamOf(record) === 'support'],
      [{ provider: 'gemini' }, (record: RequestRecord) => record.provider === 'gemini'],
      [{ endpoint: '/v1/messages' }, (record: RequestRecord) => record.endpoint === '/v1/messages'],
      [{ status: 429 }, (record: RequestRecord) => record.status === 429],
      [{ statusClass: 5 }, (record: RequestRecord) => record.status >= 500 && record.status < 600],
    ] as const;
    for (const [filter, predicate] of cases) {
      assertRowsEqual(analytics.summary(filter), [expectedRow(null, records.filter(predicate))]);
    }
  });

  test('time to first token percentiles are null for a group with no streamed calls', () => {
    const [row] = analytics.summary({ model: 'nobody' });
    assert.equal(row, undefined);
    const unstreamed = records.find((record) => !record.stream);
    assert.ok(unstreamed);
    const [single] = analytics.summary({ since: unstreamed.startedAt, until: unstreamed.startedAt + 1, model: unstreamed.modelRequested, endpoint: unstreamed.endpoint });
    assert.ok(single);
    if (single.requests === 1) assert.equal(single.p95TimeToFirstTokenMs, null);
  });
});

describe('request analytics daily roll-up', () => {
  test('totals by day and model match the records, across batches', () => {
    const rows = analytics.daily({}, 'model');
    const expected = [...groupBy(records, (record) => `${day(record.startedAt)}|${record.modelRequested}`)].map(([group, members]) => ({
      day: String(group).split('|')[0] ?? '',
      group: String(group).split('|')[1] ?? null,
      requests: members.length,
      errors: members.filter((record) => record.status >= 400).length,
      inputTokens: members.reduce((sum, record) => sum + record.inputTokens, 0),
      outputTokens: members.reduce((sum, record) => sum + record.outputTokens, 0),
      costUsd: Math.round(members.reduce((sum, record) => sum + record.costUsd, 0) * 1e8),
    }));
    const rounded = rows.map((row) => ({ ...row, costUsd: Math.round(row.costUsd * 1e8) }));
    const order = (list: typeof rounded) => list.toSorted((a, b) => `${a.day}${a.group}`.localeCompare(`${b.day}${b.group}`));
    assert.deepEqual(order(rounded), order(expected));
  });

  test('agrees with the raw summary by day, and a range selects the days it overlaps', () => {
    const raw = analytics.summary({ keyId: 'vk_b' }, 'day').map((row) => [row.group, row.requests, row.inputTokens]);
    const rolled = analytics.daily({ keyId: 'vk_b' }).map((row) => [row.day, row.requests, row.inputTokens]);
    assert.deepEqual(rolled, raw);
    const days = analytics.daily({ since: Date.UTC(2026, 0, 2, 12), until: Date.UTC(2026, 0, 3, 1) }).map((row) => row.day);
    assert.deepEqual(days, ['2026-01-02', '2026-01-03']);
  });

  test('spend by team joins each key to its team', () => {
    const rows = analytics.daily({ team: 'search' }, 'team');
    const expected = [...groupBy(records.filter((record) => teamOf(record) === 'search'), (record) => day(record.startedAt))];
    assert.deepEqual(rows.map((row) => [row.day, row.group, row.requests]), expected.map(([group, members]) => [group, 'search', members.length]).toSorted());
    const groups = new Set(analytics.daily({}, 'team').map((row) => row.group));
    assert.deepEqual([...groups].toSorted(), ['search', 'support', null].toSorted());
  });

  test('keys stored as absent come back as null groups', () => {
    const groups = analytics.daily({}, 'key').map((row) => row.group);
    assert.ok(groups.includes(null));
    assert.ok(!groups.includes(''));
  });
});

describe('request analytics raw page', () => {
  test('newest first, filtered and limited, without bodies', () => {
    const page = analytics.requests({ endUser: 'alice' }, 5);
    const expected = records.filter((record) => record.endUser === 'alice').toSorted((a, b) => b.startedAt - a.startedAt).slice(0, 5);
    assert.deepEqual(page.map((row) => row['startedAt']), expected.map((record) => record.startedAt));
    assert.ok(page.every((row) => row['endUser'] === 'alice' && typeof row['stream'] === 'boolean' && !('requestBody' in row)));
  });

  test('refuses a limit out of range', () => {
    assert.throws(() => analytics.requests({}, 0), RangeError);
    assert.throws(() => analytics.requests({}, 1_001), RangeError);
    assert.throws(() => analytics.requests({}, 1.5), RangeError);
  });
});

describe('request analytics series', () => {
  test('hour buckets match the records of each hour, oldest first', () => {
    const since = Date.UTC(2026, 0, 2);
    const until = Date.UTC(2026, 0, 3);
    const hour = 3_600_000;
    const rows = analytics.series({ since, until, model: 'claude' }, hour);
    const inWindow = records.filter((record) => record.startedAt >= since && record.startedAt < until && record.modelRequested === 'claude');
    const expected = [...groupBy(inWindow, (record) => String(Math.floor(record.startedAt / hour) * hour))]
      .map(([start, members]) => {
        const row = expectedRow(start, members);
        return [Number(start), row.requests, row.errors, row.p50LatencyMs, row.p95LatencyMs, row.p99LatencyMs, row.p95TimeToFirstTokenMs];
      })
      .toSorted((a, b) => Number(a[0]) - Number(b[0]));
    assert.ok(expected.length > 10);
    assert.deepEqual(rows.map((row) => [row.start, row.requests, row.errors, row.p50LatencyMs, row.p95LatencyMs, row.p99LatencyMs, row.p95TimeToFirstTokenMs]), expected);
  });

  test('refuses a bucket size that is not a whole second or too many buckets', () => {
    assert.throws(() => analytics.series({ since: 0, until: 86_400_000 }, 999), RangeError);
    assert.throws(() => analytics.series({ since: 0, until: 86_400_000 }, 1.5e3 + 0.5), RangeError);
    assert.throws(() => analytics.series({ since: 0, until: 86_400_000 * 30 }, 60_000), RangeError);
  });
});

describe('request analytics: finished days are reused', () => {
  test('by day from a time, the same rows as the whole log by day, computed once and then reused', () => {
    const since = Date.UTC(2026, 0, 2, 7);
    const whole = analytics.summary({ model: 'gpt' }, 'day');
    const partialFirstDay = analytics.summary({ model: 'gpt', since, until: Date.UTC(2026, 0, 3) })[0];
    const expected = [{ ...partialFirstDay, group: '2026-01-02' }, ...whole.filter((row) => (row.group ?? '') >= '2026-01-03')];
    assertRowsEqual(analytics.summary({ model: 'gpt', since }, 'day'), expected as AnalyticsSummaryRow[]);
    assertRowsEqual(analytics.summary({ model: 'gpt', since }, 'day'), expected as AnalyticsSummaryRow[]);
  });
});

describe('request analytics tail', () => {
  test('without a position, the newest records; then only what is appended after it', async () => {
    const first = analytics.tail(undefined, 3);
    assert.equal(first.rows.length, 3);
    const last = records.at(-1);
    assert.equal(first.rows[0]?.['requestId'], last?.requestId);
    assert.deepEqual(analytics.tail(first.position, 10).rows, []);
    const store = new SqliteRequestLogStore(database);
    const added = generateRequestRecords(4, { seed: 99 }).map((record, index) => ({ ...record, requestId: `req_tail_${index}` }));
    await store.append(added);
    const next = analytics.tail(first.position, 3);
    assert.deepEqual(next.rows.map((row) => row['requestId']), ['req_tail_0', 'req_tail_1', 'req_tail_2']);
    const rest = analytics.tail(next.position, 10);
    assert.deepEqual(rest.rows.map((row) => row['requestId']), ['req_tail_3']);
    assert.equal(typeof rest.rows[0]?.['stream'], 'boolean');
    assert.ok(!('position' in (rest.rows[0] ?? {})));
    assert.throws(() => analytics.tail(undefined, 0), RangeError);
  });
});
