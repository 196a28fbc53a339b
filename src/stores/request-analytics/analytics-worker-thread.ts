/**
 * The thread behind `AnalyticsWorker`: a read-only connection of its own on the gateway's SQLite file
 * (WAL: it reads a consistent snapshot while the log worker writes) and the analytics queries, answered
 * one at a time in arrival order.
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../sqlite/request-log-worker-protocol.ts';
import { createAnalyticsQueries } from './analytics-queries.ts';
import { isAnalyticsCall, isAnalyticsWorkerSettings, type AnalyticsAnswer } from './analytics-worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('analytics-worker-thread.ts must run as a worker thread');
if (!isAnalyticsWorkerSettings(workerData)) throw new Error('analytics worker: invalid settings');

const database = new DatabaseSync(workerData.path, { readOnly: true, timeout: workerData.busyTimeoutMs });
const queries: Record<string, (...parameters: unknown[]) => unknown> = createAnalyticsQueries(database) as never;
port.postMessage({ type: 'ready' } satisfies AnalyticsAnswer);

port.on('message', (message: unknown) => {
  if (!isAnalyticsCall(message)) return;
  port.postMessage(answer(message.id, message.name, message.parameters));
});

function answer(id: number, name: string, parameters: unknown[]): AnalyticsAnswer {
  try {
    const query = Object.hasOwn(queries, name) ? queries[name] : undefined;
    if (query === undefined) throw new TypeError(`analytics worker: no query named ${name}`);
    return { type: 'answer', id, ok: true, value: query(...parameters) };
  } catch (error) {
    return { type: 'answer', id, ok: false, error: serializeError(error) };
  }
}
