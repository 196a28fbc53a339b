import type { Migration } from './migration.ts';

/**
 * Virtual keys. Only the SHA-256 of a secret is kept; the unique index on it is how a presented secret
 * is found. STRICT so that a wrong type is an error rather than a silent conversion.
 */
const createApiKeys: Migration = {
  version: 1,
  name: 'create-api-keys',
  sql: `
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      prefix TEXT NOT NULL,
      secret_hash TEXT NOT NULL UNIQUE,
      models TEXT NOT NULL,
      team TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER,
      revoked_at INTEGER
    ) STRICT;
  `,
};

/**
 * The request log. Not STRICT on purpose: a fractional latency or token count must not make a whole
 * batch fail (and be retried forever); NOT NULL still guards the fields every record must have.
 * `request_id` is not unique: callers may supply their own ids, and a duplicate must not reject a batch.
 */
const createRequests: Migration = {
  version: 2,
  name: 'create-requests',
  sql: `
    CREATE TABLE requests (
      request_id TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      endpoint TEXT NOT NULL,
      client_format TEXT NOT NULL,
      key_id TEXT,
      end_user TEXT,
      model_requested TEXT NOT NULL,
      provider TEXT,
      upstream_model TEXT,
      stream INTEGER NOT NULL,
      status INTEGER NOT NULL,
      error_code TEXT,
      finish_reason TEXT,
      input_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      cached_input_tokens INTEGER NOT NULL,
      cache_write_input_tokens INTEGER NOT NULL,
      reasoning_tokens INTEGER NOT NULL,
      cost_usd REAL NOT NULL,
      latency_ms REAL NOT NULL,
      time_to_first_token_ms REAL,
      attempts INTEGER NOT NULL,
      attempt_failures TEXT,
      request_body TEXT,
      response_body TEXT
    );
    CREATE INDEX requests_started_at ON requests (started_at);
    CREATE INDEX requests_key_started_at ON requests (key_id, started_at);
    CREATE INDEX requests_model_started_at ON requests (model_requested, started_at);
  `,
};

/**
 * Shared state for `--workers` on one host: token buckets, concurrency leases and circuit breakers
 * (src/stores/shared-state/). Times and token counts are REAL: callers pass fractional values, and a
 * bucket refills continuously. `full_at` (NULL for a bucket that never refills) and `expires_at` let a
 * sweep drop idle rows; a full bucket is the same as a missing one. `slots` is the rolling window, a
 * JSON array of [epoch, successes, failures] for each of its ten slices.
 */
const createSharedState: Migration = {
  version: 3,
  name: 'create-shared-state',
  sql: `
    CREATE TABLE rate_limit_buckets (
      key TEXT PRIMARY KEY,
      tokens REAL NOT NULL,
      updated_at REAL NOT NULL,
      full_at REAL
    ) STRICT;
    CREATE INDEX rate_limit_buckets_full_at ON rate_limit_buckets (full_at);
    CREATE TABLE concurrency_leases (
      key TEXT NOT NULL,
      id TEXT NOT NULL,
      expires_at REAL NOT NULL,
      PRIMARY KEY (key, id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX concurrency_leases_expires_at ON concurrency_leases (expires_at);
    CREATE TABLE circuits (
      deployment TEXT PRIMARY KEY,
      opened_at REAL,
      consecutive_failures INTEGER NOT NULL,
      probes INTEGER NOT NULL,
      probes_since REAL NOT NULL,
      slots TEXT NOT NULL
    ) STRICT;
  `,
};

/** Every SQLite migration, in order. */
/** Per-key limits (JSON) and default queue priority. */
const addKeyLimits: Migration = {
  version: 4,
  name: 'add-key-limits',
  sql: `
    ALTER TABLE api_keys ADD COLUMN limits TEXT;
    ALTER TABLE api_keys ADD COLUMN priority TEXT;
  `,
};

export const sqliteMigrations: readonly Migration[] = [createApiKeys, createRequests, createSharedState, addKeyLimits];
