import { Worker } from 'node:worker_threads';
import { defaultBusyTimeoutMs } from '../sqlite/open-database.ts';
import { deserializeError } from '../sqlite/request-log-worker-protocol.ts';
import type { AnalyticsQueryName, AnalyticsReader } from './analytics-queries.ts';
import { isAnalyticsAnswer, type AnalyticsCall, type AnalyticsWorkerSettings } from './analytics-worker-protocol.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Every query name; a record, so the type check fails when a query is added to `createAnalyticsQueries` but not here. */
const queryNames = {
  summary: true, totals: true, daily: true, requests: true, series: true, tail: true,
  routeQuality: true, compareRouteQuality: true, recentFeedback: true, listAlerts: true,
} satisfies Record<AnalyticsQueryName, true>;

/**
 * Opens the analytics queries on a worker thread over the gateway's SQLite file (already migrated by
 * `openDatabase`). A percentile over a week of a million-row log takes a second or two of SQLite
 * sorting; on the main thread that would stall every request in flight, here it only delays other
 * analytics calls. The worker holds the process open only while calls are pending.
 */
export const openAnalyticsWorker = async (path: string, busyTimeoutMs = defaultBusyTimeoutMs): Promise<AnalyticsReader> => {
  const settings: AnalyticsWorkerSettings = { path, busyTimeoutMs };
  const worker = new Worker(new URL('./analytics-worker-thread.ts', import.meta.url), { workerData: settings });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;

  const fail = (error: Error): void => {
    failure ??= error;
    for (const [id, call] of pending) {
      pending.delete(id);
      call.reject(error);
    }
    worker.unref();
  };

  await new Promise<void>((resolve, reject) => {
    const onReady = (message: unknown): void => {
      if (!isAnalyticsAnswer(message) || message.type !== 'ready') return;
      worker.off('message', onReady).off('error', reject);
      resolve();
    };
    worker.on('message', onReady).once('error', reject);
  });
  worker.on('message', (message: unknown) => {
    if (!isAnalyticsAnswer(message) || message.type !== 'answer') return;
    const call = pending.get(message.id);
    if (call === undefined) return;
    pending.delete(message.id);
    if (pending.size === 0) worker.unref();
    if (message.ok) call.resolve(message.value);
    else call.reject(deserializeError(message.error));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`analytics worker exited (code ${code})`)));
  worker.unref();

  const call = (name: AnalyticsQueryName, parameters: unknown[]): Promise<unknown> => {
    if (failure !== undefined) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker thread, not a window
      worker.postMessage({ id, name, parameters } satisfies AnalyticsCall);
    });
  };

  const reader: Record<string, unknown> = {
    async close() {
      fail(new Error('analytics reader is closed'));
      await worker.terminate();
    },
  };
  for (const name of Object.keys(queryNames) as AnalyticsQueryName[]) reader[name] = (...parameters: unknown[]) => call(name, parameters);
  return reader as AnalyticsReader;
};

/** Queries that sort or scan a whole window: seconds on a large log. Everything else reads a few rows. */
const slowQueries: ReadonlySet<AnalyticsQueryName> = new Set<AnalyticsQueryName>(['summary', 'totals', 'series']);

/**
 * Two analytics workers: one for the slow queries, one for the rest. A worker answers one query at a
 * time, so with one lane a roll-up read of a few milliseconds would wait seconds behind a percentile
 * sort (measured: 5 ms → 5.3 s at four concurrent callers); the dashboard's live tail and cost views
 * should not wait for its latency views.
 */
export const openAnalyticsLanes = async (path: string, busyTimeoutMs = defaultBusyTimeoutMs): Promise<AnalyticsReader> => {
  const [slow, fast] = await Promise.all([openAnalyticsWorker(path, busyTimeoutMs), openAnalyticsWorker(path, busyTimeoutMs)]);
  const reader: Record<string, unknown> = {
    async close() {
      await Promise.all([slow.close(), fast.close()]);
    },
  };
  for (const name of Object.keys(queryNames) as AnalyticsQueryName[]) reader[name] = (slowQueries.has(name) ? slow : fast)[name];
  return reader as AnalyticsReader;
};
