import type { SerializedError } from '../sqlite/request-log-worker-protocol.ts';

/** What the analytics worker is started with (`workerData`). */
export interface AnalyticsWorkerSettings {
  path: string;
  busyTimeoutMs: number;
}

export interface AnalyticsCall {
  id: number;
  name: string;
  parameters: unknown[];
}

export type AnalyticsAnswer =
  | { type: 'ready' }
  | { type: 'answer'; id: number; ok: true; value: unknown }
  | { type: 'answer'; id: number; ok: false; error: SerializedError };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export const isAnalyticsWorkerSettings = (value: unknown): value is AnalyticsWorkerSettings =>
  isObject(value) && typeof value.path === 'string' && typeof value.busyTimeoutMs === 'number';

export const isAnalyticsCall = (value: unknown): value is AnalyticsCall =>
  isObject(value) && typeof value.id === 'number' && typeof value.name === 'string' && Array.isArray(value.parameters);

export const isAnalyticsAnswer = (value: unknown): value is AnalyticsAnswer =>
  isObject(value) && (value.type === 'ready' || (value.type === 'answer' && typeof value.id === 'number' && typeof value.ok === 'boolean'));
