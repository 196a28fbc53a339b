import { readNumber, readOptionalNumber, readString, type Row } from '../sqlite/read-row.ts';

/**
 * A quality regression on a route (the model alias asked for): its score over the last window fell
 * by `drop` (a fraction: 0.12 is 12%) against the window before. Open while `resolvedAt` is null; one
 * route has at most one open alert. Times are epoch ms. The webhook receives this object as JSON.
 */
export interface QualityAlert {
  /** Opaque (the row id as text), so that clients never do arithmetic on it. */
  id: string;
  route: string;
  raisedAt: number;
  previousScore: number;
  currentScore: number;
  drop: number;
  previousSamples: number;
  currentSamples: number;
  resolvedAt: number | null;
}

/** The drop from `previous` to `current`, as a fraction of `previous` (negative for a rise). */
export const qualityDrop = (previous: number, current: number): number => (previous === 0 ? 0 : (previous - current) / previous);

/** A `quality_alerts` row (migration 7) as a `QualityAlert`. */
export function toQualityAlert(row: Row): QualityAlert {
  const previousScore = readNumber(row, 'previous_score');
  const currentScore = readNumber(row, 'current_score');
  return {
    id: String(readNumber(row, 'id')),
    route: readString(row, 'route'),
    raisedAt: readNumber(row, 'raised_at'),
    previousScore,
    currentScore,
    drop: qualityDrop(previousScore, currentScore),
    previousSamples: readNumber(row, 'previous_samples'),
    currentSamples: readNumber(row, 'current_samples'),
    resolvedAt: readOptionalNumber(row, 'resolved_at') ?? null,
  };
}
