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
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  /** Starts the worker and resolves once it has opened the database, or rejects with why it could not. */
  static async open(options: WorkerRequestLogStoreOptions): Promise<WorkerRequestLogStore> {
    const settings: WorkerSettings = { path: options.path, busyTimeoutMs: options.busyTimeoutMs ?? defaultBusyTimeoutMs };
    const worker = new Worker(new URL('./request-log-worker.ts', import.meta.url), { workerData: settings });
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onMessage = (message: unknown): void => {
        if (isWorkerReply(message) && message.type === 'ready') settle();
      };
      const onError = (error: Error): void => settle(error);
      const onExit = (code: number): void => settle(new Error(`request log worker exited before opening (code ${code})`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new WorkerRequestLogStore(worker);
  }

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (message: unknown) => this.#onMessage(message));
    worker.on('error', (error: Error) => this.#fail(error));
    worker.on('exit', (code: number) => this.#fail(new Error(`request log worker exited (code ${code})`)));
    worker.unref();
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
    await Promise.allSettled([...this.#pending.keys()].map((id) => this.#settled(id)));
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
    if (!isWorkerReply(message) || message.type !== 'result') return;
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
    for (const id of [...this.#pending.keys()]) this.#take(id)?.reject(error);
  }
}
