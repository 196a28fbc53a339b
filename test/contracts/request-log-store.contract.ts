import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import type { RequestLogStore, RequestRecord } from '../../src/stores/contracts.ts';
import { createRequestLogWriter } from '../../src/stores/request-log-writer.ts';

export interface RequestLogStoreFixture {
  store: RequestLogStore;
  close(): Promise<void>;
}

/** Creates a fresh, empty store. */
export type RequestLogStoreFactory = () => Promise<RequestLogStoreFixture>;

let sequence = 0;

/** A complete record; `overrides` may also set fields to wrong values, to test refusal. */
export function makeRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  sequence += 1;
  return {
    requestId: `req_${sequence}`,
    startedAt: 1_700_000_000_000 + sequence,
    endpoint: '/v1/chat/completions',
    clientFormat: 'openai-chat',
    modelRequested: 'gpt-4o',
    stream: false,
    status: 200,
    inputTokens: 120,
    outputTokens: 30,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0.0006,
    latencyMs: 812.5,
    attempts: 1,
    ...overrides,
  };
}

/** Wraps a store so a test can await its next append and make appends fail on demand. */
function observe(store: RequestLogStore) {
  const waiters: ((records: RequestRecord[]) => void)[] = [];
  let failuresLeft = 0;
  const observed: RequestLogStore = {
    async append(records) {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('disk unavailable');
      }
      await store.append(records);
      waiters.splice(0).forEach((resolve) => resolve(records));
    },
    query: (query) => store.query(query),
    close: () => store.close(),
  };
  return {
    store: observed,
    nextAppend: () => new Promise<RequestRecord[]>((resolve) => waiters.push(resolve)),
    failNext(count: number) {
      failuresLeft = count;
    },
  };
}

/** The behaviour every RequestLogStore must have, and the writer's behaviour on top of it. */
export function requestLogStoreContract(name: string, factory: RequestLogStoreFactory): void {
  const withStore = async (run: (store: RequestLogStore) => Promise<void>): Promise<void> => {
    const fixture = await factory();
    try {
      await run(fixture.store);
    } finally {
      await fixture.close();
    }
  };

  describe(`RequestLogStore contract: ${name}`, () => {

    test('keeps every field, optional ones included, and leaves absent ones absent', () =>
      withStore(async (store) => {
        const full = makeRecord({
          keyId: 'vk_1', endUser: 'user-7', provider: 'openai-main', upstreamModel: 'gpt-4o-2024-08-06', stream: true,
          status: 502, errorCode: 'all_targets_failed', finishReason: 'stop', cachedInputTokens: 100, cacheWriteInputTokens: 10,
          reasoningTokens: 5, timeToFirstTokenMs: 120.25, attempts: 2, requestBody: '{"model":"gpt-4o"}', responseBody: '{}',
          qualityScore: 0.25, qualitySignals: { validation: 'reasked', flags: ['injection-suspected'] },
          attemptFailures: [
            { provider: 'azure', model: 'gpt-4o', code: 'upstream_rate_limited', message: 'slow down', upstreamStatus: 429 },
            { provider: 'openai', model: 'gpt-4o', code: 'upstream_timeout', message: 'timed out' },
          ],
        });
        const minimal = makeRecord();
        await store.append([full, minimal]);
        assert.deepEqual(await store.query({}), [minimal, full]);
      }));

    test('returns newest first, honours the limit, and defaults it to 100', () =>
      withStore(async (store) => {
        const records = Array.from({ length: 120 }, (_, index) => makeRecord({ startedAt: 1_000 + index }));
        await store.append(records.slice(60));
        await store.append(records.slice(0, 60));
        const all = await store.query({});
        assert.equal(all.length, 100);
        assert.deepEqual(all.map((record) => record.startedAt), records.slice(20).map((record) => record.startedAt).toReversed());
        assert.deepEqual((await store.query({ limit: 2 })).map((record) => record.startedAt), [1_119, 1_118]);
        assert.deepEqual(await store.query({ limit: 0 }), []);
      }));

    test('filters by time window (since inclusive, until exclusive), key and model', () =>
      withStore(async (store) => {
        const a = makeRecord({ startedAt: 100, keyId: 'vk_a', modelRequested: 'gpt-4o' });
        const b = makeRecord({ startedAt: 200, keyId: 'vk_b', modelRequested: 'claude' });
        const c = makeRecord({ startedAt: 300, keyId: 'vk_a', modelRequested: 'claude' });
        const d = makeRecord({ startedAt: 400 });
        await store.append([a, b, c, d]);
        assert.deepEqual(await store.query({ since: 200, until: 400 }), [c, b]);
        assert.deepEqual(await store.query({ since: 301 }), [d]);
        assert.deepEqual(await store.query({ until: 100 }), []);
        assert.deepEqual(await store.query({ keyId: 'vk_a' }), [c, a]);
        assert.deepEqual(await store.query({ model: 'claude' }), [c, b]);
        assert.deepEqual(await store.query({ keyId: 'vk_a', model: 'claude', since: 100, until: 1_000 }), [c]);
        assert.deepEqual(await store.query({ keyId: 'vk_missing' }), []);
      }));

    test('a batch with one invalid record stores nothing and rejects', () =>
      withStore(async (store) => {
        const good = makeRecord();
        const missingEndpoint = makeRecord({ endpoint: null as unknown as string });
        await assert.rejects(store.append([good, makeRecord(), missingEndpoint]));
        assert.deepEqual(await store.query({}), []);
        await store.append([good]);
        assert.deepEqual(await store.query({}), [good]);
      }));

    test('an empty batch is a no-op', () =>
      withStore(async (store) => {
        await store.append([]);
        assert.deepEqual(await store.query({}), []);
      }));

    test('malformed queries are refused', () =>
      withStore(async (store) => {
        for (const query of [{ limit: -1 }, { limit: 1.5 }, { limit: 1_000_000 }, { since: Number.NaN }, { until: Infinity }]) {
          await assert.rejects(store.query(query), RangeError, JSON.stringify(query));
        }
        await assert.rejects(store.query({ keyId: 7 as unknown as string }), TypeError);
      }));

    test('writer: a full batch is written without waiting for the timer', () =>
      withStore(async (inner) => {
        const { store, nextAppend } = observe(inner);
        const writer = createRequestLogWriter({ store, batchSize: 3, flushIntervalMs: 3_600_000, onError: assert.fail });
        const records = [makeRecord(), makeRecord(), makeRecord()];
        const appended = nextAppend();
        records.forEach((record) => writer.record(record));
        assert.deepEqual(await appended, records);
        assert.equal((await inner.query({})).length, 3);
        await writer.close();
      }));

    test('writer: a partial batch is written when the interval elapses', () =>
      withStore(async (inner) => {
        mock.timers.enable({ apis: ['setInterval'] });
        try {
          const { store, nextAppend } = observe(inner);
          const writer = createRequestLogWriter({ store, batchSize: 100, flushIntervalMs: 500, onError: assert.fail });
          const record = makeRecord();
          writer.record(record);
          const appended = nextAppend();
          mock.timers.tick(499);
          assert.equal(writer.stats().written, 0);
          mock.timers.tick(1);
          assert.deepEqual(await appended, [record]);
          assert.deepEqual(await inner.query({}), [record]);
          await writer.close();
        } finally {
          mock.timers.reset();
        }
      }));

    test('writer: close writes everything still buffered', () =>
      withStore(async (store) => {
        const writer = createRequestLogWriter({ store, batchSize: 2, flushIntervalMs: 3_600_000, onError: assert.fail });
        const records = Array.from({ length: 5 }, () => makeRecord());
        records.forEach((record) => writer.record(record));
        await writer.close();
        assert.equal((await store.query({})).length, 5);
        assert.deepEqual(writer.stats(), { buffered: 0, written: 5, dropped: 0 });
      }));

    test('writer: a failed write is kept and retried, and nothing is lost', () =>
      withStore(async (inner) => {
        const { store, failNext } = observe(inner);
        const errors: unknown[] = [];
        const writer = createRequestLogWriter({ store, batchSize: 10, flushIntervalMs: 3_600_000, onError: (error) => errors.push(error) });
        const records = Array.from({ length: 4 }, () => makeRecord());
        failNext(1);
        records.forEach((record) => writer.record(record));
        await writer.flush();
        assert.equal(errors.length, 1);
        assert.deepEqual(await inner.query({}), []);
        assert.equal(writer.stats().buffered, 4);
        await writer.flush();
        assert.deepEqual(await inner.query({}), records.toReversed());
        await writer.close();
        assert.deepEqual(writer.stats(), { buffered: 0, written: 4, dropped: 0 });
      }));
  });
}
