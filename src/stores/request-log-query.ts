import type { RequestLogQuery, RequestRecord } from './contracts.ts';

export const defaultRequestLogLimit = 100;
export const maxRequestLogLimit = 10_000;

/** A query with its defaults applied: `since` inclusive, `until` exclusive, `limit` always set. */
export interface NormalizedRequestLogQuery {
  since: number | undefined;
  until: number | undefined;
  keyId: string | undefined;
  model: string | undefined;
  limit: number;
}

/**
 * Checks a query and fills in its defaults, the same way for every store. The time window is half-open
 * (`since <= startedAt < until`) so adjacent windows never count a request twice. Without a limit, 100
 * records come back; more than 10,000 is refused, so that no caller loads the whole log by accident.
 */
export function normalizeRequestLogQuery(query: RequestLogQuery): NormalizedRequestLogQuery {
  const limit = query.limit ?? defaultRequestLogLimit;
  if (!Number.isInteger(limit) || limit < 0 || limit > maxRequestLogLimit) {
    throw new RangeError(`request log query: limit must be an integer from 0 to ${maxRequestLogLimit}`);
  }
  for (const field of ['since', 'until'] as const) {
    const value = query[field];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new RangeError(`request log query: ${field} must be a finite number of epoch milliseconds`);
    }
  }
  for (const field of ['keyId', 'model'] as const) {
    const value = query[field];
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`request log query: ${field} must be a string`);
    }
  }
  return { since: query.since, until: query.until, keyId: query.keyId, model: query.model, limit };
}

const requiredStrings = ['requestId', 'endpoint', 'clientFormat', 'modelRequested'] as const;
const requiredNumbers = [
  'startedAt',
  'status',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteInputTokens',
  'reasoningTokens',
  'costUsd',
  'latencyMs',
  'attempts',
] as const;

/**
 * Checks the fields every stored record must have, mirroring the NOT NULL columns of the SQLite table,
 * so that stores without a schema reject the same records. The message names the field, never a value.
 */
export function assertRequestRecord(record: RequestRecord, index: number): void {
  for (const field of requiredStrings) {
    if (typeof record[field] !== 'string') throw new TypeError(`request record ${index}: ${field} is required`);
  }
  for (const field of requiredNumbers) {
    if (!Number.isFinite(record[field])) throw new TypeError(`request record ${index}: ${field} is required`);
  }
  if (typeof record.stream !== 'boolean') throw new TypeError(`request record ${index}: stream is required`);
}
