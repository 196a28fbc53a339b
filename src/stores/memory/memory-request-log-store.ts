import type { RequestLogQuery, RequestLogStore, RequestRecord } from '../contracts.ts';
import { assertRequestRecord, normalizeRequestLogQuery } from '../request-log-query.ts';

/** The request log in this process's memory: for tests. Copies in and out, like a real store. */
export class MemoryRequestLogStore implements RequestLogStore {
  readonly #records: RequestRecord[] = [];
  #closed = false;

  async append(records: RequestRecord[]): Promise<void> {
    this.#assertOpen();
    // Every record is checked before any is kept, so a bad record fails the whole batch.
    records.forEach(assertRequestRecord);
    for (const record of records) this.#records.push(structuredClone(record));
  }

  async query(query: RequestLogQuery): Promise<RequestRecord[]> {
    this.#assertOpen();
    const { since, until, keyId, model, limit } = normalizeRequestLogQuery(query);
    const matches: RequestRecord[] = [];
    // Newest first; among equal start times, the last appended first (as SQLite's rowid order).
    const indexed = this.#records.map((record, index) => ({ record, index }));
    indexed.sort((a, b) => b.record.startedAt - a.record.startedAt || b.index - a.index);
    for (const { record } of indexed) {
      if (matches.length >= limit) break;
      if (since !== undefined && record.startedAt < since) continue;
      if (until !== undefined && record.startedAt >= until) continue;
      if (keyId !== undefined && record.keyId !== keyId) continue;
      if (model !== undefined && record.modelRequested !== model) continue;
      matches.push(structuredClone(record));
    }
    return matches;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('request log store is closed');
  }
}
