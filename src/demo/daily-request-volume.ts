import type { TrafficPattern } from './demo-keys.ts';

export const dayMs = 86_400_000;

/** Saturday and Sunday, by `getUTCDay()`. */
const isWeekend = (day: number): boolean => {
  const weekday = new Date(day * dayMs).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/**
 * Relative volume of a UTC day (days since the epoch) for a pattern: people use the interactive
 * applications about a third as much at weekends; batch jobs barely notice.
 */
export const weekdayWeight = (day: number, pattern: TrafficPattern): number => {
  if (!isWeekend(day)) return 1;
  return pattern === 'interactive' ? 0.35 : 0.9;
};

/** Traffic grows this much a day: about 35% over five weeks, enough for a forecast to show a trend. */
export const dailyGrowth = 1.01;

/**
 * The expected number of requests of one pattern on `day`, given how many it has on a weekday as of
 * `today`: weekday seasonality times compound growth (earlier days are smaller).
 */
export const dailyRequestVolume = (day: number, today: number, weekdayRequestsToday: number, pattern: TrafficPattern): number =>
  weekdayRequestsToday * weekdayWeight(day, pattern) * dailyGrowth ** (day - today);
