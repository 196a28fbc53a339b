import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { assertFeedbackEntry, normalizeFeedbackQuery, type FeedbackEntry, type FeedbackQuery, type FeedbackStore } from '../feedback-contracts.ts';
import { readNumber, readOptionalString, readString, type Row } from './read-row.ts';

/**
 * Feedback in the `feedback` table (migration 6). Calls are synchronous underneath (`node:sqlite`);
 * feedback is rare and each call is one indexed statement, so it runs on the main connection.
 */
export class SqliteFeedbackStore implements FeedbackStore {
  readonly #database: DatabaseSync;
  readonly #upsert: StatementSync;
  readonly #forRequest: StatementSync;
  readonly #queries = new Map<string, StatementSync>();

  constructor(database: DatabaseSync) {
    this.#database = database;
    // Replaces in place (keeping created_at of the latest call) so the row stays unique per request and key.
    this.#upsert = database.prepare(`
      INSERT INTO feedback (request_id, key_id, score, comment, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (request_id, key_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, created_at = excluded.created_at
    `);
    this.#forRequest = database.prepare('SELECT * FROM feedback WHERE request_id = ? ORDER BY created_at, rowid');
  }

  async record(entry: FeedbackEntry): Promise<void> {
    assertFeedbackEntry(entry);
    this.#upsert.run(entry.requestId, entry.keyId, entry.score, entry.comment ?? null, entry.createdAt);
  }

  async forRequest(requestId: string): Promise<FeedbackEntry[]> {
    return this.#forRequest.all(requestId).map(toFeedbackEntry);
  }

  async list(query: FeedbackQuery = {}): Promise<FeedbackEntry[]> {
    const { since, until, keyId, limit } = normalizeFeedbackQuery(query);
    const filters: [condition: string, value: SQLInputValue | undefined][] = [
      ['created_at >= ?', since],
      ['created_at < ?', until],
      ['key_id = ?', keyId],
    ];
    const active = filters.filter(([, value]) => value !== undefined);
    const where = active.length === 0 ? '' : `WHERE ${active.map(([condition]) => condition).join(' AND ')}`;
    const sql = `SELECT * FROM feedback ${where} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return this.#prepare(sql).all(...active.map(([, value]) => value ?? null), limit).map(toFeedbackEntry);
  }

  /** At most 8 shapes of query exist (3 optional filters), so their statements are kept. */
  #prepare(sql: string): StatementSync {
    let statement = this.#queries.get(sql);
    if (statement === undefined) {
      statement = this.#database.prepare(sql);
      this.#queries.set(sql, statement);
    }
    return statement;
  }
}

function toFeedbackEntry(row: Row): FeedbackEntry {
  const entry: FeedbackEntry = {
    requestId: readString(row, 'request_id'),
    keyId: readString(row, 'key_id'),
    score: readNumber(row, 'score'),
    createdAt: readNumber(row, 'created_at'),
  };
  const comment = readOptionalString(row, 'comment');
  if (comment !== undefined) entry.comment = comment;
  return entry;
}

/**
 * Checks the `requests` table for a request id made with a key (indexed by `requests_request_id`).
 * Records reach the table in batches, so a request seconds old may not be found yet.
 */
export const createSqliteRequestOwnershipCheck = (database: DatabaseSync): ((requestId: string, keyId: string) => Promise<boolean>) => {
  const statement = database.prepare('SELECT 1 AS found FROM requests WHERE request_id = ? AND key_id = ? LIMIT 1');
  return async (requestId, keyId) => statement.get(requestId, keyId) !== undefined;
};
