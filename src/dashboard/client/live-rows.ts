import type { RequestRow } from './api-types.ts';

/** The live tail keeps at most this many rows; older ones fall off the bottom. */
export const maxLiveRows = 200;

/**
 * Merges newly received rows into the shown ones: one row per request id (a reconnect replays the
 * backlog, which must not duplicate rows), newest first by start time, at most `limit` rows.
 */
export const mergeLiveRows = (shown: readonly RequestRow[], incoming: readonly RequestRow[], limit: number = maxLiveRows): RequestRow[] => {
  const byId = new Map<string, RequestRow>();
  for (const row of [...shown, ...incoming]) byId.set(row.requestId, row);
  return [...byId.values()].toSorted((a, b) => b.startedAt - a.startedAt).slice(0, limit);
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one request row from an event's data. The stream is our own server's, but a row missing its
 * id, start time or status cannot be placed or coloured, so it is dropped rather than drawn wrong.
 */
export const parseRequestRow = (value: unknown): RequestRow | null => {
  if (!isObject(value)) return null;
  if (typeof value.requestId !== 'string' || typeof value.startedAt !== 'number' || typeof value.status !== 'number') return null;
  return value as unknown as RequestRow;
};

/** The rows of a `backlog` or `request` event's data; malformed JSON or rows yield nothing. */
export const parseLiveEvent = (data: string): RequestRow[] => {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return [];
  }
  const candidates: unknown[] = Array.isArray(value) ? value : [value];
  return candidates.flatMap((candidate) => {
    const row = parseRequestRow(candidate);
    return row === null ? [] : [row];
  });
};
