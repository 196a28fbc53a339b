import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ApiKeyStore, CreateKeyInput, KeyLimitValues, VirtualKey } from '../contracts.ts';
import {
  buildVirtualKey,
  createApiKeySecret,
  hashApiKeySecret,
  looksLikeApiKeySecret,
  parseCreateKeyInput,
} from '../api-key-secret.ts';
import { readOptionalNumber, readOptionalString, readString, readStringArrayJson, readNumber, type Row } from './read-row.ts';

export interface SqliteApiKeyStoreOptions {
  now?: () => number;
}

const columns = 'id, name, prefix, models, team, limits, priority, created_at, expires_at, revoked_at';

/** Virtual keys in the `api_keys` table of a database opened by `openDatabase`. */
export class SqliteApiKeyStore implements ApiKeyStore {
  readonly #now: () => number;
  readonly #insert: StatementSync;
  readonly #selectBySecretHash: StatementSync;
  readonly #selectById: StatementSync;
  readonly #selectAll: StatementSync;
  readonly #revoke: StatementSync;

  constructor(database: DatabaseSync, options: SqliteApiKeyStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#insert = database.prepare(
      `INSERT INTO api_keys (id, name, prefix, secret_hash, models, team, limits, priority, created_at, expires_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
    );
    this.#selectBySecretHash = database.prepare(`SELECT ${columns} FROM api_keys WHERE secret_hash = ?`);
    this.#selectById = database.prepare(`SELECT ${columns} FROM api_keys WHERE id = ?`);
    this.#selectAll = database.prepare(`SELECT ${columns} FROM api_keys ORDER BY created_at, id`);
    // COALESCE keeps the first revocation time when a key is revoked twice.
    this.#revoke = database.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?');
  }

  async create(input: CreateKeyInput): Promise<{ key: VirtualKey; secret: string }> {
    const valid = parseCreateKeyInput(input);
    const secret = createApiKeySecret();
    const key = buildVirtualKey(valid, secret, this.#now());
    this.#insert.run(
      key.id,
      key.name,
      key.prefix,
      hashApiKeySecret(secret),
      JSON.stringify(key.models),
      key.team ?? null,
      key.limits === undefined ? null : JSON.stringify(key.limits),
      key.priority ?? null,
      key.createdAt,
      key.expiresAt ?? null,
    );
    return { key, secret };
  }

  async findBySecret(secret: string): Promise<VirtualKey | undefined> {
    if (!looksLikeApiKeySecret(secret)) return undefined;
    const row = this.#selectBySecretHash.get(hashApiKeySecret(secret));
    return row === undefined ? undefined : toVirtualKey(row);
  }

  async get(id: string): Promise<VirtualKey | undefined> {
    if (typeof id !== 'string') return undefined;
    const row = this.#selectById.get(id);
    return row === undefined ? undefined : toVirtualKey(row);
  }

  async list(): Promise<VirtualKey[]> {
    return this.#selectAll.all().map(toVirtualKey);
  }

  async revoke(id: string): Promise<boolean> {
    if (typeof id !== 'string') return false;
    // SQLite counts every row the WHERE matched, so revoking twice still reports the key exists.
    return Number(this.#revoke.run(this.#now(), id).changes) > 0;
  }
}

function toVirtualKey(row: Row): VirtualKey {
  const team = row.team;
  const expiresAt = readOptionalNumber(row, 'expires_at');
  const revokedAt = readOptionalNumber(row, 'revoked_at');
  const limits = readOptionalString(row, 'limits');
  const priority = readOptionalString(row, 'priority');
  return {
    id: readString(row, 'id'),
    name: readString(row, 'name'),
    prefix: readString(row, 'prefix'),
    models: readStringArrayJson(row, 'models'),
    createdAt: readNumber(row, 'created_at'),
    ...(typeof team === 'string' ? { team } : {}),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...(revokedAt === undefined ? {} : { revokedAt }),
    ...(limits === undefined ? {} : { limits: JSON.parse(limits) as KeyLimitValues }),
    ...(priority === 'high' || priority === 'normal' || priority === 'low' ? { priority } : {}),
  };
}
