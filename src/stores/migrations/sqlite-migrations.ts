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

/** Per-key limits (JSON) and default queue priority. */
const addKeyLimits: Migration = {
  version: 4,
  name: 'add-key-limits',
  sql: `
    ALTER TABLE api_keys ADD COLUMN limits TEXT;
    ALTER TABLE api_keys ADD COLUMN priority TEXT;
  `,
};

/**
 * Analytics (src/stores/request-analytics/): indexes for the filters the admin analytics API offers,
 * and a daily roll-up so totals by day never scan the log. The roll-up is kept by a trigger, so it is
 * written in the same transaction as the records (the worker's batch append) and cannot drift from
 * them; existing records are rolled up once here. Empty strings stand for absent provider or key,
 * because NULLs are never equal in a primary key. `day` is the UTC day number (epoch ms / 86,400,000).
 */
const addRequestAnalytics: Migration = {
  version: 5,
  name: 'add-request-analytics',
  sql: `
    CREATE INDEX requests_end_user_started_at ON requests (end_user, started_at);
    CREATE INDEX requests_provider_started_at ON requests (provider, started_at);
    CREATE INDEX requests_endpoint_started_at ON requests (endpoint, started_at);
    CREATE TABLE request_daily_rollups (
      day INTEGER NOT NULL,
      model TEXT NOT NULL,
      provider TEXT NOT NULL,
      key_id TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      status_class INTEGER NOT NULL,
      requests INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      input_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL,
      cost_usd REAL NOT NULL,
      PRIMARY KEY (day, model, provider, key_id, endpoint, status_class)
    ) WITHOUT ROWID;
    CREATE TRIGGER requests_daily_rollup AFTER INSERT ON requests BEGIN
      INSERT INTO request_daily_rollups VALUES (
        NEW.started_at / 86400000, NEW.model_requested, coalesce(NEW.provider, ''), coalesce(NEW.key_id, ''),
        NEW.endpoint, NEW.status / 100, 1, NEW.status >= 400, NEW.input_tokens, NEW.output_tokens, NEW.cost_usd
      )
      ON CONFLICT DO UPDATE SET
        requests = requests + 1, errors = errors + excluded.errors, input_tokens = input_tokens + excluded.input_tokens,
        output_tokens = output_tokens + excluded.output_tokens, cost_usd = cost_usd + excluded.cost_usd;
    END;
    INSERT INTO request_daily_rollups
      SELECT CAST(started_at / 86400000 AS INTEGER), model_requested, coalesce(provider, ''), coalesce(key_id, ''), endpoint,
        CAST(status / 100 AS INTEGER), count(*), sum(status >= 400), sum(input_tokens), sum(output_tokens), sum(cost_usd)
      FROM requests GROUP BY 1, 2, 3, 4, 5, 6;
  `,
};

/**
 * User feedback (`POST /v1/feedback`, src/stores/sqlite/sqlite-feedback-store.ts). One row per request
 * and key: the unique index makes a repeated feedback replace the earlier one, and serves lookups by
 * request id. The CHECKs repeat the API's limits (score 0..1, comment at most 2,000 characters) so that
 * no writer can store more. `requests_request_id` lets the route check that a request exists and
 * belongs to the caller without scanning the log.
 */
const createFeedback: Migration = {
  version: 6,
  name: 'create-feedback',
  sql: `
    CREATE TABLE feedback (
      request_id TEXT NOT NULL CHECK (length(request_id) BETWEEN 1 AND 128),
      key_id TEXT NOT NULL,
      score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
      comment TEXT CHECK (comment IS NULL OR length(comment) <= 2000),
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX feedback_request_id_key_id ON feedback (request_id, key_id);
    CREATE INDEX feedback_created_at ON feedback (created_at);
    CREATE INDEX requests_request_id ON requests (request_id);
  `,
};

/*
 * The two helpers below write part of migration 7's SQL: like the migration, they must never change.
 *
 * The request a feedback row rates: the first logged with its id and key. Request ids are not unique
 * (callers may bring their own), so "the first" keeps the choice stable while more arrive later; the
 * lookup walks `requests_request_id` (migration 6). Used by the feedback triggers below.
 */
const ratedRequest = (feedback: 'NEW' | 'OLD'): string =>
  `(SELECT rowid FROM requests WHERE request_id = ${feedback}.request_id AND key_id = ${feedback}.key_id ORDER BY rowid LIMIT 1)`;

/*
 * Adds (sign '+') or takes back (sign '-') a feedback row's part in the daily roll-up: the feedback
 * score replaces the request's automatic score, so the request counts once either way. One upsert
 * shape serves every case; when taking back, the row exists (adding created it), so only its UPDATE
 * branch runs. A feedback row whose request is not in the log changes nothing.
 */
const applyFeedback = (feedback: 'NEW' | 'OLD', sign: '+' | '-'): string => `
  INSERT INTO route_quality_daily (day, route, score_sum, scored, feedback_sum, feedback_count)
    SELECT CAST(started_at / 86400000 AS INTEGER), model_requested, ${sign}(${feedback}.score - coalesce(quality_score, 0)),
      ${sign}(quality_score IS NULL), ${sign}${feedback}.score, ${sign}1
    FROM requests WHERE rowid = ${ratedRequest(feedback)}
  ON CONFLICT DO UPDATE SET score_sum = score_sum + excluded.score_sum, scored = scored + excluded.scored,
    feedback_sum = feedback_sum + excluded.feedback_sum, feedback_count = feedback_count + excluded.feedback_count;`;

/**
 * Quality (docs/quality.md, src/observability/quality/): each request's automatic score and the
 * signals behind it; a daily roll-up per route (the model alias asked for) of the effective score, the
 * user's feedback when there is some, else the automatic score; and the regression alerts.
 *
 * The roll-up is kept by triggers, in the transaction of the write that changes it (the log worker's
 * batch, a feedback upsert), so it cannot drift from the log and reading a route's trend never scans
 * it. Existing requests predate automatic scores, so only the feedback already given is rolled up here:
 * synthesising old scores from statuses would miss the re-ask and guard penalties and make next week
 * look like a regression.
 *
 * `quality_alerts`: the partial unique index allows one open alert per route, so when several
 * processes run the detector at once exactly one INSERT succeeds, and that process alone notifies.
 */
const addQuality: Migration = {
  version: 7,
  name: 'add-quality',
  sql: `
    ALTER TABLE requests ADD COLUMN quality_score REAL;
    ALTER TABLE requests ADD COLUMN quality_signals TEXT;
    CREATE TABLE route_quality_daily (
      day INTEGER NOT NULL,
      route TEXT NOT NULL,
      score_sum REAL NOT NULL,
      scored INTEGER NOT NULL,
      feedback_sum REAL NOT NULL,
      feedback_count INTEGER NOT NULL,
      PRIMARY KEY (day, route)
    ) WITHOUT ROWID;
    CREATE TRIGGER requests_route_quality AFTER INSERT ON requests WHEN NEW.quality_score IS NOT NULL BEGIN
      INSERT INTO route_quality_daily VALUES (CAST(NEW.started_at / 86400000 AS INTEGER), NEW.model_requested, NEW.quality_score, 1, 0, 0)
      ON CONFLICT DO UPDATE SET score_sum = score_sum + excluded.score_sum, scored = scored + 1;
    END;
    CREATE TRIGGER feedback_route_quality_insert AFTER INSERT ON feedback BEGIN
      ${applyFeedback('NEW', '+')}
    END;
    CREATE TRIGGER feedback_route_quality_update AFTER UPDATE OF request_id, key_id, score ON feedback
    WHEN OLD.score IS NOT NEW.score OR OLD.request_id IS NOT NEW.request_id OR OLD.key_id IS NOT NEW.key_id BEGIN
      ${applyFeedback('OLD', '-')}
      ${applyFeedback('NEW', '+')}
    END;
    CREATE TRIGGER feedback_route_quality_delete AFTER DELETE ON feedback BEGIN
      ${applyFeedback('OLD', '-')}
    END;
    INSERT INTO route_quality_daily (day, route, score_sum, scored, feedback_sum, feedback_count)
      SELECT CAST(requests.started_at / 86400000 AS INTEGER), requests.model_requested, sum(feedback.score), count(*), sum(feedback.score), count(*)
      FROM feedback JOIN requests ON requests.rowid =
        (SELECT rowid FROM requests WHERE request_id = feedback.request_id AND key_id = feedback.key_id ORDER BY rowid LIMIT 1)
      GROUP BY 1, 2;
    CREATE TABLE quality_alerts (
      id INTEGER PRIMARY KEY,
      route TEXT NOT NULL,
      raised_at INTEGER NOT NULL,
      previous_score REAL NOT NULL,
      current_score REAL NOT NULL,
      previous_samples INTEGER NOT NULL,
      current_samples INTEGER NOT NULL,
      resolved_at INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX quality_alerts_one_open_per_route ON quality_alerts (route) WHERE resolved_at IS NULL;
    CREATE INDEX quality_alerts_raised_at ON quality_alerts (raised_at);
  `,
};

/** Every SQLite migration, in order. */
export const sqliteMigrations: readonly Migration[] = [
  createApiKeys, createRequests, createSharedState, addKeyLimits, addRequestAnalytics, createFeedback, addQuality,
];
