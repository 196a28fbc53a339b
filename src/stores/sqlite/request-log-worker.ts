/**
 * The thread behind `WorkerRequestLogStore`: owns one SQLite connection and runs the request log's
 * synchronous writes and reads here, away from the gateway's event loop. Messages are handled one at a
 * time, in arrival order, so a `close` is answered only after every write sent before it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './open-database.ts';
import { SqliteRequestLogStore } from './sqlite-request-log-store.ts';
import type { WorkerReply, WorkerRequest, WorkerSettings } from './request-log-worker-protocol.ts';
import { isWorkerRequest, isWorkerSettings, serializeError } from './request-log-worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('request-log-worker.ts must run as a worker thread');
if (!isWorkerSettings(workerData)) throw new Error('request log worker: invalid settings');
const settings: WorkerSettings = workerData;

const database = openDatabase(settings.path, { busyTimeoutMs: settings.busyTimeoutMs });
const store = new SqliteRequestLogStore(database, { ownsDatabase: true });
port.postMessage({ type: 'ready' } satisfies WorkerReply);

port.on('message', (message: unknown) => {
  if (!isWorkerRequest(message)) return;
  port.postMessage(handle(message));
  if (message.type === 'close') port.close();
});

function handle(request: WorkerRequest): WorkerReply {
  try {
    switch (request.type) {
      case 'append':
        store.appendSync(request.records);
        return { type: 'result', id: request.id, ok: true };
      case 'query':
        return { type: 'result', id: request.id, ok: true, records: store.querySync(request.query) };
      case 'close':
        database.close();
        return { type: 'result', id: request.id, ok: true };
    }
  } catch (error) {
    return { type: 'result', id: request.id, ok: false, error: serializeError(error) };
  }
}
