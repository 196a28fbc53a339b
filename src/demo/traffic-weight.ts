import type { TrafficPattern } from './demo-keys.ts';

/** A bell around `centre` (hours) on the 24-hour clock: 23:00 is one hour from midnight. */
const bump = (hour: number, centre: number, width: number): number => {
  const distance = Math.abs(hour - centre);
  const around = Math.min(distance, 24 - distance);
  return Math.exp(-(around * around) / (2 * width * width));
};

/**
 * Relative request rate at `hour` (UTC, fractional) for each traffic pattern. Interactive traffic is
 * quiet at night and peaks mid-morning (10:30) and mid-afternoon (15:30), with a lunch dip between and a
 * small evening shoulder; batch traffic is steady with a nightly job at 02:00.
 */
export const trafficWeight = (hour: number, pattern: TrafficPattern): number =>
  pattern === 'interactive'
    ? 0.08 + 0.9 * bump(hour, 10.5, 1.8) + 0.8 * bump(hour, 15.5, 2) + 0.25 * bump(hour, 20, 2.2)
    : 0.7 + 2.5 * bump(hour, 2, 0.8);

const averageOverDay = (pattern: TrafficPattern): number => {
  const steps = 24 * 60;
  let sum = 0;
  for (let step = 0; step < steps; step++) sum += trafficWeight((step + 0.5) / 60, pattern);
  return sum / steps;
};

/** The day's average of `trafficWeight`, to turn a weight into a multiple of the mean rate. */
export const meanTrafficWeight: Record<TrafficPattern, number> = {
  interactive: averageOverDay('interactive'),
  batch: averageOverDay('batch'),
};

/**
 * The share of a day's requests in each of `slots` equal slices, cumulated (the last entry is 1):
 * drawing a uniform number and finding its slice samples a time of day with the pattern's shape.
 */
export const cumulativeDayShares = (pattern: TrafficPattern, slots = 288): Float64Array => {
  const shares = new Float64Array(slots);
  let sum = 0;
  for (let slot = 0; slot < slots; slot++) {
    sum += trafficWeight(((slot + 0.5) * 24) / slots, pattern);
    shares[slot] = sum;
  }
  for (let slot = 0; slot < slots; slot++) shares[slot] = (shares[slot] ?? 0) / sum;
  return shares;
};
