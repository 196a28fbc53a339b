import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { AttemptFailure } from '../../core/errors/index.ts';
import type { RequestLogQuery, RequestLogStore, RequestRecord } from '../contracts.ts';
import { normalizeRequestLogQuery } from '../request-log-query.ts';
import { readQualityColumns, toQualityColumns } from './quality-columns.ts';
import { readNumber, readOptionalNumber, readOptionalString, readString, type Row } from './read-row.ts';

export interface SqliteRequestLogStoreOptions {
  /** Close the database with the store; leave false when other stores share the connection. */
  ownsDatabase?: boolean;
}

const insertColumns = [
  'request_id', 'started_at', 'endpoint', 'client_format', 'key_id', 'end_user', 'model_requested',
  'provider', 'upstream_model', 'stream', 'status', 'error_code', 'finish_reason', 'input_tokens',
  'output_tokens', 'cached_input_tokens', 'cache_write_input_tokens', 'reasoning_tokens', 'cost_usd',
  'latency_ms', 'time_to_first_token_ms', 'attempts', 'attempt_failures', 'request_body', 'response_body',
  'quality_score', 'quality_signals',
];

/**
 * The request log in the `requests` table. Its calls are synchronous underneath (`node:sqlite`): on the
 * gateway's hot path use it through `WorkerRequestLogStore`, which runs it on its own thread.
 */
export class SqliteRequestLogStore implements RequestLogStore {
  readonly #database: DatabaseSync;
  readonly #ownsDatabase: boolean;
  readonly #insert: StatementSync;
  readonly #queries = new Map<string, StatementSync>();
  #closed = false;

  constructor(database: DatabaseSync, options: SqliteRequestLogStoreOptions = {}) {
    this.#database = database;
    this.#ownsDatabase = options.ownsDatabase ?? false;
    this.#insert = database.prepare(
      `INSERT INTO requests (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`,
    );
  }

  async append(records: RequestRecord[]): Promise<void> {
    this.appendSync(records);
  }

  async query(query: RequestLogQuery): Promise<RequestRecord[]> {
    return this.querySync(query);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDatabase) this.#database.close();
  }

  /** Stores every record or, when one fails (a NOT NULL column left empty), none, and throws. */
  appendSync(records: RequestRecord[]): void {
    this.#assertOpen();
    if (records.length === 0) return;
    // IMMEDIATE takes the write lock up front, so a concurrent writer makes us wait (busy_timeout)
    // instead of failing halfway through when a read lock cannot be upgraded.
    this.#database.exec('BEGIN IMMEDIATE');
    try {
      for (const record of records) this.#insert.run(...toParameters(record));
      this.#database.exec('COMMIT');
    } catch (error) {
      if (this.#database.isTransaction) this.#database.exec('ROLLBACK');
      throw error;
    }
  }

  querySync(query: RequestLogQuery): RequestRecord[] {
    this.#assertOpen();
    const { since, until, keyId, model, limit } = normalizeRequestLogQuery(query);
    const filters: [condition: string, value: SQLInputValue | undefined][] = [
      ['started_at >= ?', since],
      ['started_at < ?', until],
      ['key_id = ?', keyId],
      ['model_requested = ?', model],
    ];
    const active = filters.filter(([, value]) => value !== undefined);
    const where = active.length === 0 ? '' : `WHERE ${active.map(([condition]) => condition).join(' AND ')}`;
    const sql = `SELECT * FROM requests ${where} ORDER BY started_at DESC, rowid DESC LIMIT ?`;
    const parameters = active.map(([, value]) => value ?? null);
    return this.#prepareQuery(sql).all(...parameters, limit).map(toRequestRecord);
  }

  /** At most 16 shapes of query exist (4 optional filters), so their statements are kept. */
  #prepareQuery(sql: string): StatementSync {
    let statement = this.#queries.get(sql);
    if (statement === undefined) {
      statement = this.#database.prepare(sql);
      this.#queries.set(sql, statement);
    }
    return statement;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('request log store is closed');
  }
}

/** `undefined` cannot be bound; absent optional fields become NULL, and so do absent required ones. */
const orNull = (value: string | number | undefined | null): SQLInputValue => value ?? null;

function toParameters(record: RequestRecord): SQLInputValue[] {
  return [
    orNull(record.requestId),
    orNull(record.startedAt),
    orNull(record.endpoint),
    orNull(record.clientFormat),
    orNull(record.keyId),
    orNull(record.endUser),
    orNull(record.modelRequested),
    orNull(record.provider),
    orNull(record.upstreamModel),
    typeof record.stream === 'boolean' ? Number(record.stream) : null,
    orNull(record.status),
    orNull(record.errorCode),
    orNull(record.finishReason),
    orNull(record.inputTokens),
    orNull(record.outputTokens),
    orNull(record.cachedInputTokens),
    orNull(record.cacheWriteInputTokens),
    orNull(record.reasoningTokens),
    orNull(record.costUsd),
    orNull(record.latencyMs),
    orNull(record.timeToFirstTokenMs),
    orNull(record.attempts),
    record.attemptFailures === undefined ? null : JSON.stringify(record.attemptFailures),
    orNull(record.requestBody),
    orNull(record.responseBody),
    ...toQualityColumns(record),
  ];
}

function toRequestRecord(row: Row): RequestRecord {
  const record: RequestRecord = {
    requestId: readString(row, 'request_id'),
    startedAt: readNumber(row, 'started_at'),
    endpoint: readString(row, 'endpoint'),
    clientFormat: readString(row, 'client_format'),
    modelRequested: readString(row, 'model_requested'),
    stream: readNumber(row, 'stream') !== 0,
    status: readNumber(row, 'status'),
    inputTokens: readNumber(row, 'input_tokens'),
    outputTokens: readNumber(row, 'output_tokens'),
    cachedInputTokens: readNumber(row, 'cached_input_tokens'),
    cacheWriteInputTokens: readNumber(row, 'cache_write_input_tokens'),
    reasoningTokens: readNumber(row, 'reasoning_tokens'),
    costUsd: readNumber(row, 'cost_usd'),
    latencyMs: readNumber(row, 'latency_ms'),
    attempts: readNumber(row, 'attempts'),
  };
  const optionalStrings = {
    keyId: readOptionalString(row, 'key_id'),
    endUser: readOptionalString(row, 'end_user'),
    provider: readOptionalString(row, 'provider'),
    upstreamModel: readOptionalString(row, 'upstream_model'),
    errorCode: readOptionalString(row, 'error_code'),
    finishReason: readOptionalString(row, 'finish_reason'),
    requestBody: readOptionalString(row, 'request_body'),
    responseBody: readOptionalString(row, 'response_body'),
  };
  for (const [field, value] of Object.entries(optionalStrings)) {
    if (value !== undefined) Object.assign(record, { [field]: value });
  }
  const timeToFirstTokenMs = readOptionalNumber(row, 'time_to_first_token_ms');
  if (timeToFirstTokenMs !== undefined) record.timeToFirstTokenMs = timeToFirstTokenMs;
  const failures = readOptionalString(row, 'attempt_failures');
  if (failures !== undefined) record.attemptFailures = JSON.parse(failures) as AttemptFailure[];
  const { qualityScore, qualitySignals } = readQualityColumns(row);
  if (qualityScore !== undefined) record.qualityScore = qualityScore;
  if (qualitySignals !== undefined) record.qualitySignals = qualitySignals;
  return record;
}
