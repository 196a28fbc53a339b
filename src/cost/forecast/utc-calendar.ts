/**
 * UTC calendar arithmetic on day numbers (whole days since 1970-01-01), so month lengths, leap years and
 * weekdays come from `Date.UTC` rather than hand-written tables.
 */

const dayMs = 86_400_000;
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The day number of a `YYYY-MM-DD` UTC day. Throws a RangeError for anything else, including dates that
 * `Date` would silently roll over (`2026-02-30`).
 */
export function parseUtcDay(day: string): number {
  const match = dayPattern.exec(day);
  if (match === null) throw new RangeError(`day must be a 'YYYY-MM-DD' UTC date, got ${JSON.stringify(day)}`);
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, dayOfMonth);
  if (formatUtcDay(time / dayMs) !== day) throw new RangeError(`day ${JSON.stringify(day)} is not a calendar date`);
  return time / dayMs;
}

/** The `YYYY-MM-DD` form of a day number. */
export function formatUtcDay(dayNumber: number): string {
  return new Date(dayNumber * dayMs).toISOString().slice(0, 10);
}

/** The day number of the UTC day containing `time` (epoch ms), and how much of that day has passed (0 to 1). */
export function utcDayOf(time: number): { dayNumber: number; elapsedFraction: number } {
  const dayNumber = Math.floor(time / dayMs);
  return { dayNumber, elapsedFraction: (time - dayNumber * dayMs) / dayMs };
}

/** 0 = Sunday … 6 = Saturday, as `Date.prototype.getUTCDay`. */
export function utcWeekday(dayNumber: number): number {
  // 1970-01-01 was a Thursday (4); the double modulo keeps days before 1970 in range.
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** One UTC calendar month as `YYYY-MM` and its first and last day numbers. */
export interface UtcMonth {
  month: string;
  firstDay: number;
  lastDay: number;
}

/** The UTC month containing `dayNumber`. */
export function utcMonthOf(dayNumber: number): UtcMonth {
  const date = new Date(dayNumber * dayMs);
  const year = date.getUTCFullYear();
  const monthIndex = date.getUTCMonth();
  return {
    month: date.toISOString().slice(0, 7),
    firstDay: Date.UTC(year, monthIndex, 1) / dayMs,
    // Day 0 of the next month is the last day of this one; Date.UTC rolls December over to January.
    lastDay: Date.UTC(year, monthIndex + 1, 0) / dayMs,
  };
}
