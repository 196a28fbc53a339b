import type { DailySpendSeries } from './daily-spend-series.ts';
import { estimateWeekdayFactors, maximumSeasonalWeeks, minimumSeasonalDays } from './estimate-weekday-factors.ts';
import { utcWeekday } from './utc-calendar.ts';

/** The model reads at most this many complete days: 8 weeks, the same span as the weekday pattern. */
export const maximumHistoryDays = maximumSeasonalWeeks * 7;
/** The level's exponential weights halve every this many days. */
const levelHalfLifeDays = 7;
/** Fewer complete days than this and the day-to-day spread is not trusted: see `shortHistorySpread`. */
export const minimumTrustedDays = 7;
/** With short history the daily standard deviation is taken as at least this share of the level. */
const shortHistorySpread = 0.5;
/** Residuals of days with a tiny weekday factor are not blown up by dividing by (almost) nothing. */
const minimumVarianceFactor = 0.05;

/**
 * A fitted daily-spend model: a day's expected spend is `factors[weekday] × level` and its standard
 * deviation is proportional to that (`factors[weekday]² × dailyVariance`): a busier weekday swings by the
 * same share, not the same dollars. The level itself is uncertain by `levelVariance`.
 */
export interface SpendModel {
  /** Weekday multipliers (0 = Sunday), averaging 1. */
  factors: number[];
  /** Deseasonalised daily spend, USD. */
  level: number;
  dailyVariance: number;
  levelVariance: number;
  /** Complete days (before today) the model was fitted on. */
  historyDays: number;
  method: string;
}

const flat = [1, 1, 1, 1, 1, 1, 1];

/**
 * Fits the model on the complete days of `series` (all but its last day, which is today), newest 56.
 *
 * - Weekday factors: `estimateWeekdayFactors` (flat below 14 days).
 * - Level: ratio estimator Σ wᵢ·spendᵢ / Σ wᵢ·factorᵢ with exponential weights wᵢ (half-life 7 days),
 *   i.e. an exponentially weighted mean of deseasonalised spend: after a level shift it is half-way to
 *   the new level within a week, three quarters within two.
 *   No trend term: extrapolating a trend 60 days out is unstable, and a shift is caught by the weights.
 * - Spread: dailyVariance = Σ ((spendᵢ − factorᵢ·level) / factorᵢ)² / degrees of freedom (n − 1, and
 *   6 fewer when weekday factors were fitted); levelVariance is the weighted estimator's own variance,
 *   dailyVariance · Σ wᵢ²·factorᵢ² / (Σ wᵢ·factorᵢ)².
 * - Fewer than 7 complete days: the daily standard deviation is raised to at least half the level.
 * - No complete day yet: level = today's spend so far / elapsed share of today (at least one hour), with
 *   a standard deviation equal to the level, for both the day and the level.
 */
export function fitSpendModel(series: DailySpendSeries, elapsedFraction: number): SpendModel {
  const complete = series.costs.slice(0, -1).slice(-maximumHistoryDays);
  const completeFirstDay = series.firstDay + series.costs.length - 1 - complete.length;
  const historyDays = complete.length;
  if (historyDays === 0) {
    const todaySpend = series.costs.at(-1) ?? 0;
    const level = todaySpend / Math.max(elapsedFraction, 1 / 24);
    return {
      factors: flat,
      level,
      dailyVariance: level ** 2,
      levelVariance: level ** 2,
      historyDays,
      method: "run rate of today's spend so far (no complete day of history yet); range widened: daily spread taken as 100% of the level",
    };
  }
  const seasonality = estimateWeekdayFactors(complete, completeFirstDay);
  const factors = seasonality?.factors ?? flat;
  const factorOf = (index: number): number => factors[utcWeekday(completeFirstDay + index)] ?? 1;
  let weightedSpend = 0;
  let weightedFactor = 0;
  let squaredWeightedFactor = 0;
  complete.forEach((cost, index) => {
    const weight = 0.5 ** ((historyDays - 1 - index) / levelHalfLifeDays);
    weightedSpend += weight * cost;
    weightedFactor += weight * factorOf(index);
    squaredWeightedFactor += (weight * factorOf(index)) ** 2;
  });
  const level = weightedFactor > 0 ? weightedSpend / weightedFactor : 0;
  const squaredResiduals = complete.reduce((sum, cost, index) => {
    const factor = factorOf(index);
    return sum + ((cost - factor * level) / Math.max(factor, minimumVarianceFactor)) ** 2;
  }, 0);
  // The level and 6 free weekday factors were fitted on these same days: without this the spread of
  // their residuals understates the spread of days to come.
  const degreesOfFreedom = historyDays - 1 - (seasonality === null ? 0 : 6);
  let dailyVariance = degreesOfFreedom > 0 ? squaredResiduals / degreesOfFreedom : 0;
  const short = historyDays < minimumTrustedDays;
  if (short) dailyVariance = Math.max(dailyVariance, (shortHistorySpread * level) ** 2);
  const levelVariance = weightedFactor > 0 ? (dailyVariance * squaredWeightedFactor) / weightedFactor ** 2 : 0;
  const weekdays =
    seasonality === null
      ? `flat weekdays (seasonality needs ${minimumSeasonalDays} days)`
      : `weekday factors from ${seasonality.weeks} week${seasonality.weeks === 1 ? '' : 's'}`;
  const levelText = `level = exponentially weighted mean of ${historyDays} day${historyDays === 1 ? '' : 's'} (half-life ${levelHalfLifeDays} d), no trend`;
  const widened = short ? `; under ${minimumTrustedDays} days of history: range widened (daily spread at least ${shortHistorySpread * 100}% of the level)` : '';
  return { factors, level, dailyVariance, levelVariance, historyDays, method: `${weekdays}, ${levelText}${widened}` };
}
