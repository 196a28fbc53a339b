import { toDailySpendSeries, type DailySpend } from './daily-spend-series.ts';
import { fitSpendModel, maximumHistoryDays, type SpendModel } from './fit-spend-model.ts';
import { inverseNormalCdf } from './inverse-normal-cdf.ts';
import { roundToCents } from './round-to-cents.ts';
import { formatUtcDay, utcDayOf, utcMonthOf, utcWeekday, type UtcMonth } from './utc-calendar.ts';

export type { DailySpend } from './daily-spend-series.ts';

/** Spend forecast for the UTC month containing `now` and the next one (docs/analytics.md, shown by the dashboard). */
export interface SpendForecast {
  /** `YYYY-MM`, UTC. */
  month: string;
  /** This month's spend up to now, today's partial spend included. */
  actualToDateUsd: number;
  /** Expected spend for the whole month: actual so far plus the expected rest. */
  forecastUsd: number;
  lowUsd: number;
  highUsd: number;
  nextMonth: { month: string; forecastUsd: number; lowUsd: number; highUsd: number };
  /** Complete days (before today, at most 56) the forecast was fitted on. */
  historyDays: number;
  /** How the figures were made, for people: weekday handling, level, widening, interval. */
  method: string;
}

export interface ForecastSpendInput {
  /** Daily spend, UTC days; days missing between the first day and today had no spend. May be empty. */
  dailySpend: readonly DailySpend[];
  /** Epoch ms; its UTC day is "today", partly spent. */
  now: number;
  /** Two-sided coverage of [lowUsd, highUsd], strictly between 0 and 1. Default 0.8. */
  confidence?: number;
}

/** One day of the current month: what was spent and what is still expected. */
export interface SpendForecastDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Spend so far (today: partial); null for days after today. */
  actualUsd: number | null;
  /** Spend still expected: 0 before today, the rest of today, a whole day after today. Not rounded. */
  expectedUsd: number;
}

export interface SpendForecastByDay {
  forecast: SpendForecast;
  /** Every day of the forecast month, first to last. */
  days: SpendForecastDay[];
}

/**
 * Forecasts this UTC month's and next month's spend from a daily spend series. Pure: no clock, no I/O.
 *
 * Method: the last ≤ 56 complete days (today is partial, so excluded) fit a model where a day's expected
 * spend is weekdayFactor × level. Weekday factors (from ≥ 14 days; flat below) are the median, over up
 * to 8 weekly blocks, of each day's ratio to its week's mean, normalised to average 1. The level is an
 * exponentially weighted mean of deseasonalised spend (half-life 7 days); there is no trend term. The
 * month forecast is actual spend to date plus (1 − elapsed share of today) × today's expected spend plus
 * the expected spend of every later day of the month; next month is the sum of its expected days.
 *
 * Range: a normal interval at `confidence` around the forecast. Its variance adds each remaining day's
 * noise (from the spread of past days' deseasonalised residuals; a day's standard deviation is
 * proportional to its expected spend; days independent) and the uncertainty of the level itself
 * (≈ σ²/n per day), which every remaining day shares, so it grows with their count squared instead of
 * averaging out. With fewer than 7 complete days the daily spread is raised to at least 50% of the
 * level; with only today's partial spend the level is today's run rate and its spread 100% of it.
 * `lowUsd` never goes below the spend already made (nor below 0 for next month).
 *
 * Limits: no trend, so steady growth is under-forecast (the level lags about 10 days and is held flat;
 * at 10% growth a month, next month's range held the actual only about half the time in simulation);
 * no holidays or month-end effects; new traffic is not foreseen; errors are taken as independent and
 * normal, so heavy tails (a one-off batch job) fall outside the range more often than `confidence` says.
 * Amounts are rounded to cents. No history at all: every amount is 0 and `method` is "no history".
 *
 * Throws a RangeError for a malformed day, a negative or non-finite cost, a non-finite `now` or a
 * `confidence` outside (0, 1).
 */
export function forecastSpend(input: ForecastSpendInput): SpendForecast {
  return forecastSpendByDay(input).forecast;
}

/** `forecastSpend`, plus each day of the month's actual and still-expected spend (for burn-down charts). */
export function forecastSpendByDay(input: ForecastSpendInput): SpendForecastByDay {
  const { now, confidence = 0.8 } = input;
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new RangeError(`now must be a finite epoch ms, got ${String(now)}`);
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be strictly between 0 and 1, got ${String(confidence)}`);
  }
  const { dayNumber: today, elapsedFraction } = utcDayOf(now);
  const series = toDailySpendSeries(input.dailySpend, today, today - maximumHistoryDays);
  const month = utcMonthOf(today);
  const nextMonth = utcMonthOf(month.lastDay + 1);
  if (series === null) return withoutHistory(month, nextMonth, today);

  const model = fitSpendModel(series, elapsedFraction);
  // Share of a day still to come: none before today, the rest of today, all of a later day.
  const shareOf = (dayNumber: number): number => (dayNumber < today ? 0 : dayNumber === today ? 1 - elapsedFraction : 1);
  const days: SpendForecastDay[] = [];
  let actualToDate = 0;
  let expectedRest = 0;
  for (let dayNumber = month.firstDay; dayNumber <= month.lastDay; dayNumber++) {
    const actual = dayNumber <= today ? (series.costs[dayNumber - series.firstDay] ?? 0) : null;
    const expected = shareOf(dayNumber) * expectedDaySpend(model, dayNumber);
    actualToDate += actual ?? 0;
    // Summed day by day, in the same order as a burn-down's path, so its last day equals forecastUsd.
    expectedRest += expected;
    days.push({ day: formatUtcDay(dayNumber), actualUsd: actual, expectedUsd: expected });
  }
  const z = inverseNormalCdf((1 + confidence) / 2);
  const interval = (center: number, variance: number, floor: number): { lowUsd: number; highUsd: number } => ({
    lowUsd: Math.max(roundToCents(center - z * Math.sqrt(variance)), floor),
    highUsd: roundToCents(center + z * Math.sqrt(variance)),
  });
  const rest = projectDays(model, today, month.lastDay, shareOf);
  const next = projectDays(model, nextMonth.firstDay, nextMonth.lastDay, () => 1);
  return {
    forecast: {
      month: month.month,
      actualToDateUsd: roundToCents(actualToDate),
      forecastUsd: roundToCents(actualToDate + expectedRest),
      ...interval(actualToDate + expectedRest, rest.variance, roundToCents(actualToDate)),
      nextMonth: { month: nextMonth.month, forecastUsd: roundToCents(next.mean), ...interval(next.mean, next.variance, 0) },
      historyDays: model.historyDays,
      method: `${model.method}; ${Math.round(confidence * 1000) / 10}% normal range`,
    },
    days,
  };
}

const expectedDaySpend = (model: SpendModel, dayNumber: number): number => (model.factors[utcWeekday(dayNumber)] ?? 1) * model.level;

/**
 * Mean and variance of the spend still to come from `firstDay` to `lastDay`: with sᵢ a day's weekday
 * factor and shareᵢ the part of it still to come, mean = level·Σ shareᵢ·sᵢ and variance =
 * dailyVariance·Σ shareᵢ·sᵢ² (independent days; the rest of today as independent hours) +
 * levelVariance·(Σ shareᵢ·sᵢ)² (one level shared by every day, so it does not average out).
 */
function projectDays(model: SpendModel, firstDay: number, lastDay: number, shareOf: (dayNumber: number) => number): { mean: number; variance: number } {
  let expectedWeight = 0;
  let varianceWeight = 0;
  for (let dayNumber = firstDay; dayNumber <= lastDay; dayNumber++) {
    const factor = model.factors[utcWeekday(dayNumber)] ?? 1;
    expectedWeight += shareOf(dayNumber) * factor;
    varianceWeight += shareOf(dayNumber) * factor ** 2;
  }
  return { mean: expectedWeight * model.level, variance: varianceWeight * model.dailyVariance + expectedWeight ** 2 * model.levelVariance };
}

function withoutHistory(month: UtcMonth, nextMonth: UtcMonth, today: number): SpendForecastByDay {
  const days: SpendForecastDay[] = [];
  for (let dayNumber = month.firstDay; dayNumber <= month.lastDay; dayNumber++) {
    days.push({ day: formatUtcDay(dayNumber), actualUsd: dayNumber <= today ? 0 : null, expectedUsd: 0 });
  }
  return {
    forecast: {
      month: month.month,
      actualToDateUsd: 0,
      forecastUsd: 0,
      lowUsd: 0,
      highUsd: 0,
      nextMonth: { month: nextMonth.month, forecastUsd: 0, lowUsd: 0, highUsd: 0 },
      historyDays: 0,
      method: 'no history',
    },
    days,
  };
}
