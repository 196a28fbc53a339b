import { parseUtcDay } from './utc-calendar.ts';

/** One UTC day's spend, as the request-log daily roll-up gives it (extra fields are ignored). */
export interface DailySpend {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  costUsd: number;
}

/** Spend per day with no gaps, oldest first, up to and including today. */
export interface DailySpendSeries {
  /** Day number (days since 1970-01-01) of `costs[0]`. */
  firstDay: number;
  costs: number[];
}

/**
 * Checks `dailySpend` and lays it out as a gap-free series from its first day (or `oldestDay`, whichever is
 * later) to `today`. Missing days are days without spend (0). Several rows for one day are added up, so
 * a roll-up grouped by model can be passed as is. Rows after `today` are ignored: a request logged just
 * after midnight may be read before the caller's clock has moved on. Returns null when no row is left.
 *
 * Throws a RangeError naming the row for a malformed day or a cost that is negative or not finite.
 */
export function toDailySpendSeries(dailySpend: readonly DailySpend[], today: number, oldestDay: number): DailySpendSeries | null {
  if (!Array.isArray(dailySpend)) throw new RangeError('dailySpend must be an array of { day, costUsd }');
  const byDay = new Map<number, number>();
  let firstDay = Infinity;
  dailySpend.forEach((row: unknown, index) => {
    const { dayNumber, costUsd } = checkRow(row, index);
    if (dayNumber > today) return;
    firstDay = Math.min(firstDay, Math.max(dayNumber, oldestDay));
    if (dayNumber >= oldestDay) byDay.set(dayNumber, (byDay.get(dayNumber) ?? 0) + costUsd);
  });
  if (firstDay === Infinity) return null;
  const costs = Array.from({ length: today - firstDay + 1 }, (_, offset) => byDay.get(firstDay + offset) ?? 0);
  return { firstDay, costs };
}

/** Callers may pass JSON from elsewhere, so the row is checked whatever its static type says. */
function checkRow(row: unknown, index: number): { dayNumber: number; costUsd: number } {
  if (typeof row !== 'object' || row === null) throw new RangeError(`dailySpend[${index}] must be an object { day, costUsd }`);
  const { day, costUsd } = row as Record<string, unknown>;
  if (typeof day !== 'string') throw new RangeError(`dailySpend[${index}].day must be a 'YYYY-MM-DD' string, got ${typeof day}`);
  if (typeof costUsd !== 'number' || !Number.isFinite(costUsd) || costUsd < 0) {
    throw new RangeError(`dailySpend[${index}].costUsd must be a finite number ≥ 0, got ${String(costUsd)}`);
  }
  try {
    return { dayNumber: parseUtcDay(day), costUsd };
  } catch (error) {
    throw new RangeError(`dailySpend[${index}].day: ${(error as Error).message}`);
  }
}
