import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnalyticsRequestRow } from '../../stores/request-analytics/request-analytics.ts';
import { LiveTail } from './live-tail.ts';

/** A log in memory with the reader's semantics: positions 1, 2, 3, ... */
const fakeLog = () => {
  const rows: AnalyticsRequestRow[] = [];
  let reads = 0;
  return {
    append: (...ids: string[]) => void rows.push(...ids.map((requestId) => ({ requestId }))),
    get reads() {
      return reads;
    },
    read: async (position: number | undefined, limit: number) => {
      reads += 1;
      if (position === undefined) return { position: rows.length, rows: rows.slice(-limit).toReversed() };
      const next = rows.slice(position, position + limit);
      return { position: position + next.length, rows: next };
    },
  };
};
const ids = (rows: AnalyticsRequestRow[]) => rows.map((row) => row['requestId']);

describe('live tail', () => {
  test('a subscriber gets the recent records, then each new one exactly once', async () => {
    const log = fakeLog();
    log.append('a', 'b', 'c');
    const tail = new LiveTail({ read: log.read, backlog: 2, intervalMs: 60_000 });
    const seen: string[] = [];
    const first = await tail.subscribe((rows) => seen.push(...(ids(rows) as string[])));
    assert.deepEqual(ids(first.backlog), ['c', 'b']);
    log.append('d', 'e');
    await tail.poll();
    await tail.poll();
    assert.deepEqual(seen, ['d', 'e']);

    const second = await tail.subscribe(() => {});
    assert.deepEqual(ids(second.backlog), ['e', 'd'], 'the backlog comes from the rows already followed');
    first.unsubscribe();
    second.unsubscribe();
    assert.equal(tail.subscribers, 0);
  });

  test('polls once for all subscribers, and not at all without any', async () => {
    const log = fakeLog();
    const tail = new LiveTail({ read: log.read, intervalMs: 60_000 });
    const one = await tail.subscribe(() => {});
    const two = await tail.subscribe(() => {});
    const readsAfterStart = log.reads;
    await tail.poll();
    assert.equal(log.reads, readsAfterStart + 1);
    one.unsubscribe();
    two.unsubscribe();
    await tail.poll();
    assert.equal(log.reads, readsAfterStart + 1);
  });

  test('a failing read is reported and polling goes on', async () => {
    const log = fakeLog();
    let failNext = false;
    const errors: unknown[] = [];
    const tail = new LiveTail({
      read: async (position, limit) => {
        if (failNext) {
          failNext = false;
          throw new Error('database is locked');
        }
        return log.read(position, limit);
      },
      intervalMs: 60_000,
      onError: (error) => errors.push(error),
    });
    const seen: unknown[] = [];
    const subscription = await tail.subscribe((rows) => seen.push(...ids(rows)));
    log.append('x');
    failNext = true;
    await tail.poll();
    await tail.poll();
    assert.equal(errors.length, 1);
    assert.deepEqual(seen, ['x']);
    subscription.unsubscribe();
  });

  test('when the first read fails, subscribe rejects and a later one starts again', async () => {
    const log = fakeLog();
    let fail = true;
    const tail = new LiveTail({ read: async (position, limit) => (fail ? Promise.reject(new Error('closed')) : log.read(position, limit)) });
    await assert.rejects(tail.subscribe(() => {}), /closed/);
    assert.equal(tail.subscribers, 0);
    fail = false;
    const subscription = await tail.subscribe(() => {});
    assert.deepEqual(subscription.backlog, []);
    tail.close();
  });
});
