import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { RequestLogStore, RequestRecord } from './contracts.ts';
import { createRequestLogWriter, type RequestLogWriterOptions } from './request-log-writer.ts';

let sequence = 0;
const record = (): RequestRecord => {
  sequence += 1;
  return {
    requestId: `req_${sequence}`,
    startedAt: sequence,
    endpoint: '/v1/chat/completions',
    clientFormat: 'openai-chat',
    modelRequested: 'm',
    stream: false,
    status: 200,
    inputTokens: 1,
    outputTokens: 1,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    latencyMs: 1,
    attempts: 1,
  };
};

/** A store that records each append and can fail or hold appends on demand. */
function fakeStore() {
  const batches: RequestRecord[][] = [];
  let failing = false;
  let concurrent = 0;
  let maxConcurrent = 0;
  let gate: Promise<void> | undefined;
  const store: RequestLogStore = {
    async append(records) {
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      try {
        await gate;
        if (failing) throw new Error('disk full');
        batches.push([...records]);
      } finally {
        concurrent -= 1;
      }
    },
    query: async () => batches.flat(),
    close: async () => {},
  };
  return {
    store,
    batches,
    stored: () => batches.flat().map((item) => item.requestId),
    fail(value: boolean) {
      failing = value;
    },
    hold(): () => void {
      const { promise, resolve } = Promise.withResolvers<void>();
      gate = promise;
      return () => {
        gate = undefined;
        resolve();
      };
    },
    maxConcurrent: () => maxConcurrent,
  };
}

const writerFor = (store: RequestLogStore, options: Partial<RequestLogWriterOptions> = {}) => {
  const errors: Error[] = [];
  const writer = createRequestLogWriter({
    store,
    batchSize: 2,
    flushIntervalMs: 3_600_000,
    onError: (error) => errors.push(error as Error),
    ...options,
  });
  return { writer, errors };
};

test('record returns at once and writes whole batches, in order, one write at a time', async () => {
  const fake = fakeStore();
  const release = fake.hold();
  const { writer } = writerFor(fake.store);
  const records = Array.from({ length: 7 }, record);
  records.forEach((item) => writer.record(item));
  assert.equal(fake.batches.length, 0);
  release();
  await writer.close();
  assert.deepEqual(fake.stored(), records.map((item) => item.requestId));
  assert.equal(fake.maxConcurrent(), 1);
  assert.deepEqual(fake.batches.map((batch) => batch.length), [2, 2, 2, 1]);
});

test('after a failed write, new records do not retry at once: the timer does', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const fake = fakeStore();
    const { writer, errors } = writerFor(fake.store, { flushIntervalMs: 1_000 });
    fake.fail(true);
    writer.record(record());
    await writer.flush();
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /writing 1 records failed/);
    fake.fail(false);
    writer.record(record());
    writer.record(record());
    writer.record(record());
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(fake.batches.length, 0, 'a full buffer did not start a write while waiting for the timer');
    mock.timers.tick(1_000);
    await writer.flush();
    assert.equal(fake.stored().length, 4);
    assert.equal(errors.length, 1);
    await writer.close();
  } finally {
    mock.timers.reset();
  }
});

test('over the high-water mark the oldest records are dropped, counted and reported once', async () => {
  const fake = fakeStore();
  const { writer, errors } = writerFor(fake.store, { batchSize: 2, maxBufferedRecords: 4 });
  fake.fail(true);
  const records = Array.from({ length: 10 }, record);
  records.forEach((item) => writer.record(item));
  await writer.flush();
  assert.equal(writer.stats().buffered, 4);
  assert.equal(writer.stats().dropped, 6);
  assert.equal(errors.filter((error) => /buffer is full/.test(error.message)).length, 1);
  fake.fail(false);
  await writer.flush();
  assert.deepEqual(fake.stored(), records.slice(6).map((item) => item.requestId));
  assert.equal(errors.filter((error) => /dropped 6 records/.test(error.message)).length, 1);
  await writer.close();
});

test('close gives up on a store that keeps failing, reports what is lost, and resolves', async () => {
  const fake = fakeStore();
  const { writer, errors } = writerFor(fake.store);
  fake.fail(true);
  writer.record(record());
  await writer.close();
  assert.match(errors.at(-1)?.message ?? '', /closed with 1 records unwritten/);
  assert.deepEqual(writer.stats(), { buffered: 0, written: 0, dropped: 1 });
  writer.record(record());
  assert.equal(writer.stats().dropped, 2);
  assert.match(errors.at(-1)?.message ?? '', /closed: a record was dropped/);
});

test('an error handler that throws does not break the writer', async () => {
  const fake = fakeStore();
  const writer = createRequestLogWriter({
    store: fake.store,
    batchSize: 1,
    flushIntervalMs: 3_600_000,
    onError: () => {
      throw new Error('logger broken');
    },
  });
  fake.fail(true);
  writer.record(record());
  await writer.flush();
  fake.fail(false);
  await writer.flush();
  assert.equal(fake.stored().length, 1);
  await writer.close();
});

test('error reports never carry record contents', async () => {
  const fake = fakeStore();
  const { writer, errors } = writerFor(fake.store, { maxBufferedRecords: 2 });
  fake.fail(true);
  const secret = { ...record(), requestBody: 'sk-live-secret', endUser: 'alice@example.com' };
  writer.record(secret);
  writer.record(record());
  writer.record(record());
  await writer.close();
  for (const error of errors) assert.doesNotMatch(`${error.message} ${String(error.cause)}`, /sk-live-secret|alice@/);
});

const onError = (): void => {};

test('invalid options are refused', () => {
  const { store } = fakeStore();
  assert.throws(() => createRequestLogWriter({ store, batchSize: 0, flushIntervalMs: 10, onError }), RangeError);
  assert.throws(() => createRequestLogWriter({ store, batchSize: 1.5, flushIntervalMs: 10, onError }), RangeError);
  assert.throws(() => createRequestLogWriter({ store, batchSize: 1, flushIntervalMs: 0, onError }), RangeError);
  assert.throws(() => createRequestLogWriter({ store, batchSize: 1, flushIntervalMs: Number.NaN, onError }), RangeError);
  assert.throws(() => createRequestLogWriter({ store, batchSize: 10, flushIntervalMs: 10, onError, maxBufferedRecords: 5 }), RangeError);
});
