import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { toQualityAlert, type QualityAlert } from './quality-alert.ts';

/** The figures an alert is raised with: both windows' mean scores and sample counts. */
export interface QualityAlertFigures {
  route: string;
  previousScore: number;
  currentScore: number;
  previousSamples: number;
  currentSamples: number;
}

/**
 * Opens and resolves alerts in `quality_alerts` (migration 7), on a writable connection. Each call is
 * one statement, atomic on its own, so processes sharing the file may call at the same time: the
 * partial unique index lets only one of them open a route's alert.
 */
export class QualityAlertStore {
  readonly #raise: StatementSync;
  readonly #resolve: StatementSync;

  constructor(database: DatabaseSync) {
    this.#raise = database.prepare(`
      INSERT INTO quality_alerts (route, raised_at, previous_score, current_score, previous_samples, current_samples)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`);
    this.#resolve = database.prepare('UPDATE quality_alerts SET resolved_at = ? WHERE route = ? AND resolved_at IS NULL RETURNING *');
  }

  /**
   * Opens an alert for the route unless one is open already. Returns the alert when this call opened
   * it (so its caller, and no other process, announces it), else undefined.
   */
  raise(figures: QualityAlertFigures, raisedAt: number): QualityAlert | undefined {
    const { route, previousScore, currentScore, previousSamples, currentSamples } = figures;
    const row = this.#raise.get(route, Math.trunc(raisedAt), previousScore, currentScore, previousSamples, currentSamples);
    return row === undefined ? undefined : toQualityAlert(row);
  }

  /** Resolves the route's open alert; returns it when there was one (resolved by this call), else undefined. */
  resolve(route: string, resolvedAt: number): QualityAlert | undefined {
    const row = this.#resolve.get(Math.trunc(resolvedAt), route);
    return row === undefined ? undefined : toQualityAlert(row);
  }
}
