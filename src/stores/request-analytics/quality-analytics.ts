import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { readNumber, readOptionalString, readString, type Row } from '../sqlite/read-row.ts';
import { dayMs } from './analytics-query.ts';
import { toQualityAlert, type QualityAlert } from './quality-alert.ts';

/** One route's quality on one UTC day: the mean effective score (feedback where given, else automatic). */
export interface RouteQualityDay {
  /** `YYYY-MM-DD`, the UTC day the requests started. */
  day: string;
  route: string;
  /** Null when no request of the day has a score (only after feedback was deleted). */
  score: number | null;
  /** Requests with a score. */
  samples: number;
  /** Of those, the ones scored by their user's feedback. */
  feedbackCount: number;
}

/** One route's mean score over the last window against the window before; `change` is a fraction (−0.12 is a 12% drop). */
export interface RouteQualityComparison {
  route: string;
  currentScore: number | null;
  currentSamples: number;
  previousScore: number | null;
  previousSamples: number;
  /** (current − previous) / previous; null when either score is missing or the previous one is 0. */
  change: number | null;
}

export interface RecentFeedback {
  requestId: string;
  score: number;
  /** The end user's words (may hold personal data: show to administrators only, never log). */
  comment: string | null;
  createdAt: number;
}

export const maxQualityListLimit = 1_000;
export const maxQualityWindowDays = 366;

const mean = (sum: number, count: number): number | null => (count === 0 ? null : sum / count);

const assertLimit = (name: string, limit: number): void => {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxQualityListLimit) throw new RangeError(`${name}: limit must be an integer from 1 to ${maxQualityListLimit}`);
};

const assertEpochMs = (name: string, value: number): void => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${name} must be epoch milliseconds`);
};

/**
 * Quality figures (docs/quality.md) from the `route_quality_daily` roll-up, the feedback and the
 * alerts (migration 7). Every query reads a few rows per route and day, so it is cheap on any
 * connection: the main one, or a read-only one of its own. Statements are prepared once and kept.
 */
export class QualityAnalytics {
  readonly #database: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(database: DatabaseSync) {
    this.#database = database;
  }

  /**
   * Per route and UTC day, the days the half-open window `since <= t < until` overlaps (the roll-up
   * keeps whole days), by day then route.
   */
  routeQuality({ since, until }: { since: number; until: number }): RouteQualityDay[] {
    assertEpochMs('routeQuality: since', since);
    assertEpochMs('routeQuality: until', until);
    if (until < since) throw new RangeError('routeQuality: until must not be before since');
    const sql = `SELECT day, route, score_sum, scored, feedback_count FROM route_quality_daily
      WHERE day >= ? AND day < ? ORDER BY day, route`;
    const rows = this.#prepare(sql).all(Math.floor(since / dayMs), Math.ceil(until / dayMs));
    return rows.map((row) => {
      const samples = readNumber(row, 'scored');
      return {
        day: new Date(readNumber(row, 'day') * dayMs).toISOString().slice(0, 10),
        route: readString(row, 'route'),
        score: mean(readNumber(row, 'score_sum'), samples),
        samples,
        feedbackCount: readNumber(row, 'feedback_count'),
      };
    });
  }

  /**
   * Per route, the last `windowDays` UTC days (today, partial, included) against the `windowDays`
   * before them, by route. Routes without a score in either window are left out.
   */
  compareRouteQuality(now: number, windowDays = 7): RouteQualityComparison[] {
    assertEpochMs('compareRouteQuality: now', now);
    if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > maxQualityWindowDays) {
      throw new RangeError(`compareRouteQuality: windowDays must be an integer from 1 to ${maxQualityWindowDays}`);
    }
    const today = Math.floor(now / dayMs);
    const boundary = today - windowDays;
    const sql = `SELECT route,
        sum(CASE WHEN day > ?1 THEN score_sum ELSE 0 END) AS current_sum, sum(CASE WHEN day > ?1 THEN scored ELSE 0 END) AS current_samples,
        sum(CASE WHEN day <= ?1 THEN score_sum ELSE 0 END) AS previous_sum, sum(CASE WHEN day <= ?1 THEN scored ELSE 0 END) AS previous_samples
      FROM route_quality_daily WHERE day > ?2 AND day <= ?3
      GROUP BY route HAVING current_samples > 0 OR previous_samples > 0 ORDER BY route`;
    return this.#prepare(sql).all(boundary, boundary - windowDays, today).map(toComparison);
  }

  /** The latest feedback, newest first. */
  recentFeedback(limit: number): RecentFeedback[] {
    assertLimit('recentFeedback', limit);
    const sql = 'SELECT request_id, score, comment, created_at FROM feedback ORDER BY created_at DESC, rowid DESC LIMIT ?';
    return this.#prepare(sql).all(limit).map((row) => ({
      requestId: readString(row, 'request_id'),
      score: readNumber(row, 'score'),
      comment: readOptionalString(row, 'comment') ?? null,
      createdAt: readNumber(row, 'created_at'),
    }));
  }

  /** Alerts, newest first: only open ones (`open: true`), only resolved ones (`open: false`), or all. */
  listAlerts({ open, limit }: { open?: boolean; limit: number }): QualityAlert[] {
    assertLimit('listAlerts', limit);
    if (open !== undefined && typeof open !== 'boolean') throw new TypeError('listAlerts: open must be a boolean');
    const where = open === undefined ? '' : open ? 'WHERE resolved_at IS NULL' : 'WHERE resolved_at IS NOT NULL';
    return this.#prepare(`SELECT * FROM quality_alerts ${where} ORDER BY raised_at DESC, id DESC LIMIT ?`).all(limit).map(toQualityAlert);
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#database.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function toComparison(row: Row): RouteQualityComparison {
  const currentSamples = readNumber(row, 'current_samples');
  const previousSamples = readNumber(row, 'previous_samples');
  const currentScore = mean(readNumber(row, 'current_sum'), currentSamples);
  const previousScore = mean(readNumber(row, 'previous_sum'), previousSamples);
  const change = currentScore === null || previousScore === null || previousScore === 0 ? null : (currentScore - previousScore) / previousScore;
  return { route: readString(row, 'route'), currentScore, currentSamples, previousScore, previousSamples, change };
}
