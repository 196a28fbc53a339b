import { utcWeekday } from './utc-calendar.ts';

/** Fewer complete days than this and every weekday counts the same. */
export const minimumSeasonalDays = 14;
/** The pattern is read from at most this many recent weeks, so an old habit fades out. */
export const maximumSeasonalWeeks = 8;

/** Per-weekday multipliers (index 0 = Sunday), averaging 1, and how many weeks they were read from. */
export interface WeekdayFactors {
  factors: number[];
  weeks: number;
}

const median = (values: readonly number[]): number => {
  const sorted = values.toSorted((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/**
 * Multiplicative weekday seasonality. The last whole weeks of complete days (up to 8, counted back from
 * the newest day) are cut into 7-day blocks; each day is divided by its block's mean, and a weekday's
 * factor is the median of its ratios over the blocks, so one odd week (an outage, a batch job) does not
 * set the pattern. Factors are then scaled to average 1. Blocks without spend carry no pattern and are
 * skipped. Returns null (flat) with fewer than 14 complete days or no usable block.
 *
 * `costs` are complete days, oldest first; `firstDay` is the day number of `costs[0]`.
 */
export function estimateWeekdayFactors(costs: readonly number[], firstDay: number): WeekdayFactors | null {
  if (costs.length < minimumSeasonalDays) return null;
  const weeks = Math.min(maximumSeasonalWeeks, Math.floor(costs.length / 7));
  const ratios: number[][] = Array.from({ length: 7 }, () => []);
  let usableWeeks = 0;
  for (let week = 0; week < weeks; week++) {
    const start = costs.length - (week + 1) * 7;
    const block = costs.slice(start, start + 7);
    const mean = block.reduce((sum, cost) => sum + cost, 0) / 7;
    if (mean <= 0) continue;
    usableWeeks++;
    block.forEach((cost, offset) => ratios[utcWeekday(firstDay + start + offset)]?.push(cost / mean));
  }
  if (usableWeeks === 0) return null;
  const raw = ratios.map((weekdayRatios) => median(weekdayRatios));
  const average = raw.reduce((sum, value) => sum + value, 0) / 7;
  // Possible only when every week's spend fell on a different weekday: no pattern to speak of.
  if (average <= 0) return null;
  return { factors: raw.map((value) => value / average), weeks: usableWeeks };
}
