import { DatabaseSync } from 'node:sqlite';
import { defaultBusyTimeoutMs } from '../sqlite/open-database.ts';
import { RequestAnalytics } from './request-analytics.ts';

export interface OpenedRequestAnalytics {
  analytics: RequestAnalytics;
  close(): void;
}

/**
 * A read-only connection of its own on the gateway's SQLite file (already opened and migrated by
 * `openDatabase`). In WAL mode it reads a consistent snapshot while the log worker keeps writing.
 */
export function openRequestAnalytics(path: string): OpenedRequestAnalytics {
  const database = new DatabaseSync(path, { readOnly: true, timeout: defaultBusyTimeoutMs });
  return { analytics: new RequestAnalytics(database), close: () => database.close() };
}
