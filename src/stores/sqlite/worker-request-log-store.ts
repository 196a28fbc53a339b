import { Worker } from 'node:worker_threads';
import type { RequestLogQuery, RequestLogStore, RequestRecord } from '../contracts.ts';
import { defaultBusyTimeoutMs } from './open-database.ts';
import type { WorkerRequest, WorkerSettings } from './request-log-worker-protocol.ts';
import { deserializeError, isWorkerReply } from './request-log-worker-protocol.ts';

export interface WorkerRequestLogStoreOptions {
  /** The SQLite file; the worker opens (and migrates) it. */
  path: string;
  busyTimeoutMs?: number;
}

interface Pending {
  resolve(records: RequestRecord[] | undefined): void;
  reject(error: Error): void;
}

type WorkerRequestBody =
  | { type: 'append'; records: RequestRecord[] }
  | { type: 'query'; query: RequestLogQuery }
  | { type: 'close' };

/**
 * A `RequestLogStore` whose SQLite work runs on a worker thread, so its synchronous disk writes never
 * block the gateway's event loop. Each call is a message with an id, answered by the worker in order.
 * The worker holds the process open only while calls are pending.
 */
export class WorkerRequestLogStore implements RequestLogStore {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  readonly #ready: Promise<void>;
  #opened: () => void = () => {};
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  /**
   * Starts the worker at once; calls made before it has opened the database wait for it. If it cannot
   * open the database, every call rejects with why (and so does `ready()`).
   */
  constructor(options: WorkerRequestLogStoreOptions | string) {
    const { path, busyTimeoutMs } = typeof options === 'string' ? { path: options, busyTimeoutMs: undefined } : options;
    const settings: WorkerSettings = { path, busyTimeoutMs: busyTimeoutMs ?? defaultBusyTimeoutMs };
    this.#worker = new Worker(new URL('./request-log-worker.ts', import.meta.url), { workerData: settings });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#opened = resolve;
      this.#worker.once('error', reject).once('exit', (code) => reject(new Error(`request log worker exited (code ${code})`)));
    });
    // Observed here so an unopened store that is never used does not raise an unhandled rejection.
    this.#ready.catch(() => {});
    this.#worker.on('message', (message: unknown) => this.#onMessage(message));
    this.#worker.on('error', (error: Error) => this.#fail(error));
    this.#worker.on('exit', (code: number) => this.#fail(new Error(`request log worker exited (code ${code})`)));
    this.#worker.unref();
  }

  /** A store whose worker has opened (and migrated) the database. */
  static async open(options: WorkerRequestLogStoreOptions | string): Promise<WorkerRequestLogStore> {
    const store = new WorkerRequestLogStore(options);
    try {
      await store.ready();
    } catch (error) {
      await store.close().catch(() => {});
      throw error;
    }
    return store;
  }

  /** Resolves once the worker has opened the database; rejects if it could not. */
  ready(): Promise<void> {
    return this.#ready;
  }

  async append(records: RequestRecord[]): Promise<void> {
    await this.#call({ type: 'append', records });
  }

  async query(query: RequestLogQuery): Promise<RequestRecord[]> {
    return (await this.#call({ type: 'query', query })) ?? [];
  }

  /** Waits for every call already made, closes the database, then stops the worker. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await Promise.allSettled(Array.from(this.#pending.keys(), (id) => this.#settled(id)));
    try {
      if (this.#failure === undefined) await this.#request({ type: 'close' });
    } finally {
      this.#failure ??= new Error('request log store is closed');
      await this.#worker.terminate();
    }
  }

  #call(body: WorkerRequestBody): Promise<RequestRecord[] | undefined> {
    if (this.#closing !== undefined) return Promise.reject(new Error('request log store is closed'));
    return this.#request(body);
  }

  #request(body: WorkerRequestBody): Promise<RequestRecord[] | undefined> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    const request = { ...body, id } as WorkerRequest;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a worker thread, not a window
      this.#worker.postMessage(request);
    });
  }

  /** A promise that settles when call `id` is answered, whatever the answer. */
  #settled(id: number): Promise<void> {
    const pending = this.#pending.get(id);
    if (pending === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.#pending.set(id, {
        resolve(records) {
          pending.resolve(records);
          resolve();
        },
        reject(error) {
          pending.reject(error);
          resolve();
        },
      });
    });
  }

  #onMessage(message: unknown): void {
    if (!isWorkerReply(message)) return;
    if (message.type === 'ready') return this.#opened();
    const pending = this.#take(message.id);
    if (pending === undefined) return;
    if (message.ok) pending.resolve(message.records);
    else pending.reject(deserializeError(message.error));
  }

  #take(id: number): Pending | undefined {
    const pending = this.#pending.get(id);
    if (pending === undefined) return undefined;
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
    return pending;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const id of Array.from(this.#pending.keys())) this.#take(id)?.reject(error);
  }
}
