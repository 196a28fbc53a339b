import { forecastSpendByDay, type DailySpend } from '../forecast/forecast-spend.ts';
import { roundToCents } from '../forecast/round-to-cents.ts';
import type { BudgetConfig } from './budget-schema.ts';

/** One day of a budget's month (docs/analytics.md, budgets). */
export interface BudgetBurnDownDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** Actual spend from the 1st to the end of this day (today: so far); null after today. */
  cumulativeUsd: number | null;
  /** The straight burn line: monthlyUsd × dayIndex / daysInMonth, dayIndex counting from 1. */
  idealUsd: number;
  /** Expected spend from the 1st to the end of this day; null before today. */
  forecastCumulativeUsd: number | null;
}

/** A budget's month: spend against the budget, the forecast, and the day-by-day path (BudgetBurnDown). */
export interface BudgetBurnDown {
  name: string;
  /** Echoes the budget's team, key or model; empty for a whole-gateway budget. */
  scope: { team?: string; key?: string; model?: string };
  monthlyUsd: number;
  /** This month's spend so far. */
  spentUsd: number;
  /** monthlyUsd − spentUsd; negative once the budget is overspent. */
  remainingUsd: number;
  forecastUsd: number;
  lowUsd: number;
  highUsd: number;
  /** First day whose actual-then-forecast cumulative spend reaches monthlyUsd this month, or null. */
  projectedExhaustionDay: string | null;
  daily: BudgetBurnDownDay[];
}

export interface BurnDownBudgetInput {
  budget: BudgetConfig;
  /** Daily spend within the budget's scope; earlier months help the forecast. */
  dailySpend: readonly DailySpend[];
  /** Epoch ms; its UTC month is the budget month. */
  now: number;
  /** Coverage of [lowUsd, highUsd]; default 0.8. */
  confidence?: number;
}

/**
 * A budget's burn-down for the UTC month containing `now`. Pure: the caller passes the spend of the
 * budget's scope (its team's keys, its key, its model, or everything).
 *
 * The month-end forecast and its range are `forecastSpend`'s (weekday-seasonal level model, normal
 * range; see its limits). The daily path is actual spend up to today; from today on it is actual spend
 * so far plus the model's expected spend for the rest of each day, so the last day's
 * `forecastCumulativeUsd` equals `forecastUsd`. `projectedExhaustionDay` is the first day on which that
 * actual-then-forecast cumulative spend (in cents, as shown) reaches `monthlyUsd`: a past day when the
 * budget is already spent, null when the expected path stays under it. It follows the expected path,
 * not `highUsd`: when only `highUsd` passes `monthlyUsd` the day is null, though the budget may still
 * run out. Amounts are rounded to cents.
 *
 * Throws a RangeError for malformed spend rows, `now` or `confidence` (as `forecastSpend`).
 */
export function burnDownBudget(input: BurnDownBudgetInput): BudgetBurnDown {
  const { budget } = input;
  const { forecast, days } = forecastSpendByDay({ dailySpend: input.dailySpend, now: input.now, confidence: input.confidence });
  // actualUsd is null exactly for the days after today.
  const todayIndex = days.findLastIndex((day) => day.actualUsd !== null);
  let actual = 0;
  let expected = 0;
  let projectedExhaustionDay: string | null = null;
  const daily = days.map((day, index): BudgetBurnDownDay => {
    actual += day.actualUsd ?? 0;
    expected += day.expectedUsd;
    const cumulativeUsd = day.actualUsd === null ? null : roundToCents(actual);
    const forecastCumulativeUsd = index < todayIndex ? null : roundToCents(actual + expected);
    if (projectedExhaustionDay === null && (forecastCumulativeUsd ?? cumulativeUsd ?? 0) >= budget.monthlyUsd) projectedExhaustionDay = day.day;
    return { day: day.day, cumulativeUsd, idealUsd: roundToCents((budget.monthlyUsd * (index + 1)) / days.length), forecastCumulativeUsd };
  });
  return {
    name: budget.name,
    scope: scopeOf(budget),
    monthlyUsd: budget.monthlyUsd,
    spentUsd: forecast.actualToDateUsd,
    remainingUsd: roundToCents(budget.monthlyUsd - forecast.actualToDateUsd),
    forecastUsd: forecast.forecastUsd,
    lowUsd: forecast.lowUsd,
    highUsd: forecast.highUsd,
    projectedExhaustionDay,
    daily,
  };
}

function scopeOf(budget: BudgetConfig): BudgetBurnDown['scope'] {
  if (budget.team !== undefined) return { team: budget.team };
  if (budget.key !== undefined) return { key: budget.key };
  if (budget.model !== undefined) return { model: budget.model };
  return {};
}
