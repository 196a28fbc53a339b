import type { RequestLogQuery, RequestRecord } from '../contracts.ts';

/** What the worker is started with (`workerData`). */
export interface WorkerSettings {
  path: string;
  busyTimeoutMs: number;
}

export type WorkerRequest =
  | { type: 'append'; id: number; records: RequestRecord[] }
  | { type: 'query'; id: number; query: RequestLogQuery }
  | { type: 'close'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; records?: RequestRecord[] }
  | { type: 'result'; id: number; ok: false; error: SerializedError };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function isWorkerSettings(value: unknown): value is WorkerSettings {
  return isObject(value) && typeof value.path === 'string' && typeof value.busyTimeoutMs === 'number';
}

export function isWorkerRequest(value: unknown): value is WorkerRequest {
  if (!isObject(value) || typeof value.id !== 'number') return false;
  switch (value.type) {
    case 'append':
      return Array.isArray(value.records);
    case 'query':
      return isObject(value.query);
    case 'close':
      return true;
    default:
      return false;
  }
}

export function isWorkerReply(value: unknown): value is WorkerReply {
  if (!isObject(value)) return false;
  if (value.type === 'ready') return true;
  return value.type === 'result' && typeof value.id === 'number' && typeof value.ok === 'boolean';
}

/** Errors cross the thread boundary as plain data: name, message and SQLite's code, nothing else. */
export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as Error & { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

const builtInErrors: Record<string, new (message: string) => Error> = { TypeError, RangeError, SyntaxError };

/** Rebuilds the error, as the same built-in class where it was one, so `instanceof` checks still hold. */
export function deserializeError(serialized: SerializedError): Error {
  const BuiltIn = builtInErrors[serialized.name];
  const error = BuiltIn === undefined ? new Error(serialized.message) : new BuiltIn(serialized.message);
  error.name = serialized.name;
  if (serialized.code !== undefined) Object.assign(error, { code: serialized.code });
  return error;
}
