import type { BudgetConfig } from '../../cost/budgets/budget-schema.ts';
import { burnDownBudget } from '../../cost/budgets/burn-down-budget.ts';
import { forecastSpend, type DailySpend } from '../../cost/forecast/forecast-spend.ts';
import type { ApiKeyStore } from '../../stores/contracts.ts';
import type { AnalyticsReader } from '../../stores/request-analytics/analytics-queries.ts';
import { dayMs, type AnalyticsFilter, type AnalyticsSummaryRow, type AnalyticsTotalsRow } from '../../stores/request-analytics/analytics-query.ts';
import type { CircuitState } from '../../stores/shared-state-contracts.ts';
import { dashboardWindow, startOfUtcDay, startOfUtcMonth, type DashboardRange } from './dashboard-range.ts';

export interface DashboardDataDependencies {
  analytics: AnalyticsReader;
  keys: ApiKeyStore;
  /** The breakers' state per deployment (`gateway.reliability().circuits()`). */
  circuits: () => Promise<Record<string, CircuitState>>;
  /** The config's budgets, read on each call so a reload shows at once. */
  budgets: () => readonly BudgetConfig[];
  /** The regression detector's comparison window (`quality.regression.windowDays`). */
  qualityWindowDays: () => number;
  now?: () => number;
  /** How long an answer is reused: a dashboard refreshes every 15 s, several tabs may be open. */
  cacheMs?: number;
}

/** How long the latency view of a range is reused at least (see `latency`). */
const wideWindowCacheMs: Record<DashboardRange, number> = { '24h': 0, '7d': 60_000, '30d': 300_000 };

/** Weeks of daily spend the forecast fits (it uses at most 56 complete days). */
const forecastHistoryDays = 57;
const recentSeconds = 300;

type PercentileField = 'p50LatencyMs' | 'p95LatencyMs' | 'p99LatencyMs' | 'p50TimeToFirstTokenMs' | 'p95TimeToFirstTokenMs' | 'p99TimeToFirstTokenMs';
/** A summary row whose percentiles were not computed (null). */
type SummaryWithoutPercentiles = Omit<AnalyticsSummaryRow, PercentileField> & Record<PercentileField, null>;

/** Totals rows shaped like summary rows: the cost views need no percentiles, and skipping them skips a sort. */
const asSummary = (row: AnalyticsTotalsRow): SummaryWithoutPercentiles => ({
  ...row,
  errorRate: row.requests === 0 ? 0 : row.errors / row.requests,
  p50LatencyMs: null,
  p95LatencyMs: null,
  p99LatencyMs: null,
  p50TimeToFirstTokenMs: null,
  p95TimeToFirstTokenMs: null,
  p99TimeToFirstTokenMs: null,
});

const emptyTotals = { group: null, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };

const sumCost = (rows: readonly { costUsd: number }[]): number => rows.reduce((sum, row) => sum + row.costUsd, 0);

/** The roll-up's rows of several groups per day, as one spend figure per day. */
const spendByDay = (rows: readonly { day: string; costUsd: number }[]): DailySpend[] => {
  const days = new Map<string, number>();
  for (const row of rows) days.set(row.day, (days.get(row.day) ?? 0) + row.costUsd);
  return [...days].map(([day, costUsd]) => ({ day, costUsd }));
};

/**
 * The figures behind each dashboard page (docs/dashboard.md lists the JSON). Read-only; every query runs
 * on the analytics worker. Cost views read the daily roll-up or percentile-free totals; only the latency
 * views and the overview's headline pay for percentiles.
 */
export class DashboardData {
  readonly #dependencies: DashboardDataDependencies;
  readonly #now: () => number;
  readonly #cache = new Map<string, { expires: number; value: Promise<unknown> }>();

  constructor(dependencies: DashboardDataDependencies) {
    this.#dependencies = dependencies;
    this.#now = dependencies.now ?? Date.now;
  }

  overview(range: DashboardRange) {
    return this.#cached(`overview:${range}`, async (now) => {
      const { analytics } = this.#dependencies;
      const window = dashboardWindow(range, now);
      const filter = { since: window.since, until: window.until };
      const [totals, recent, today, month, series, topModels, forecast, alerts] = await Promise.all([
        analytics.summary(filter),
        analytics.totals({ since: now - recentSeconds * 1000, until: now + 1 }),
        analytics.daily({ since: startOfUtcDay(now), until: now + 1 }),
        analytics.daily({ since: startOfUtcMonth(now), until: now + 1 }),
        analytics.series(filter, window.bucketMs),
        analytics.summary(filter, 'model'),
        this.#forecast(now, {}),
        analytics.listAlerts({ open: true, limit: 20 }),
      ]);
      return {
        ...filter,
        totals: totals[0] ?? asSummary(emptyTotals),
        requestsPerSecond: (recent[0]?.requests ?? 0) / recentSeconds,
        spend: { todayUsd: sumCost(today), monthToDateUsd: sumCost(month), forecast },
        series,
        topModels: topModels.slice(0, 5),
        alerts,
      };
    });
  }

  costs(range: DashboardRange) {
    return this.#cached(`costs:${range}`, async (now) => {
      const { analytics, keys } = this.#dependencies;
      const window = dashboardWindow(range, now);
      const filter = { since: window.since, until: window.until };
      const [daily, dailyByModel, byModel, byKey, byTeam, byEndUser, keyList, forecast, budgets] = await Promise.all([
        analytics.daily(filter),
        analytics.daily(filter, 'model'),
        analytics.totals(filter, 'model'),
        analytics.totals(filter, 'key'),
        analytics.totals(filter, 'team'),
        analytics.totals(filter, 'endUser'),
        keys.list(),
        this.#forecast(now, {}),
        this.#budgets(now),
      ]);
      const keysById = new Map(keyList.map((key) => [key.id, key]));
      const byCost = <Row extends { costUsd: number }>(rows: Row[]) => rows.toSorted((a, b) => b.costUsd - a.costUsd);
      return {
        ...filter,
        daily: daily.map(({ day, costUsd, requests }) => ({ day, costUsd, requests })),
        dailyByModel: dailyByModel.map(({ day, group, costUsd }) => ({ day, group, costUsd })),
        byModel: byCost(byModel.map(asSummary)),
        byKey: byCost(byKey.map((row) => {
          const key = row.group === null ? undefined : keysById.get(row.group);
          return { ...asSummary(row), keyName: key?.name ?? null, team: key?.team ?? null };
        })),
        byTeam: byCost(byTeam.map(asSummary)),
        byEndUser: byCost(byEndUser.map(asSummary)).slice(0, 20),
        forecast,
        budgets,
      };
    });
  }

  latency(range: DashboardRange) {
    // Percentiles over a week or a month sort that whole window (seconds on a large log) and move
    // little from one minute to the next: those views are reused for longer than the rest.
    return this.#cached(`latency:${range}`, async (now) => {
      const { analytics } = this.#dependencies;
      const window = dashboardWindow(range, now);
      const filter = { since: window.since, until: window.until };
      const [series, byModel, byProvider] = await Promise.all([
        analytics.series(filter, window.bucketMs),
        analytics.summary(filter, 'model'),
        analytics.summary(filter, 'provider'),
      ]);
      return { ...filter, series, byModel, byProvider };
    }, wideWindowCacheMs[range]);
  }

  quality(range: DashboardRange) {
    return this.#cached(`quality:${range}`, async (now) => {
      const { analytics, qualityWindowDays } = this.#dependencies;
      const window = dashboardWindow(range, now);
      const [routes, daily, alerts, recentFeedback] = await Promise.all([
        analytics.compareRouteQuality(now, qualityWindowDays()),
        analytics.routeQuality({ since: window.since, until: window.until }),
        analytics.listAlerts({ limit: 50 }),
        analytics.recentFeedback(20),
      ]);
      return { since: window.since, until: window.until, routes, daily, alerts, recentFeedback };
    });
  }

  /** Open regression alerts, for the banner every page shows. */
  alerts() {
    return this.#cached('alerts', async () => ({ alerts: await this.#dependencies.analytics.listAlerts({ open: true, limit: 20 }) }));
  }

  providers() {
    return this.#cached('providers', async (now) => {
      const { analytics, circuits } = this.#dependencies;
      const [states, deployments, errors] = await Promise.all([
        circuits(),
        analytics.summary({ since: now - 3_600_000, until: now + 1 }, 'deployment'),
        analytics.totals({ since: now - dayMs, until: now + 1 }, 'errorCode'),
      ]);
      return {
        circuits: Object.entries(states)
          .map(([deployment, state]) => {
            const outcomes = state.windowSuccesses + state.windowFailures;
            return {
              deployment,
              state: state.phase,
              consecutiveFailures: state.consecutiveFailures,
              openedAt: state.openedAt ?? null,
              failureRate: outcomes === 0 ? null : state.windowFailures / outcomes,
            };
          })
          .toSorted((a, b) => a.deployment.localeCompare(b.deployment)),
        deployments: deployments.filter((row) => row.group !== null),
        errorsByCode: errors.flatMap((row) => (row.group === null ? [] : [{ code: row.group, requests: row.requests }])),
      };
    });
  }

  keys() {
    return this.#cached('keys', async (now) => {
      const { analytics, keys } = this.#dependencies;
      const [list, lastDay, lastMonth] = await Promise.all([
        keys.list(),
        analytics.totals({ since: now - dayMs, until: now + 1 }, 'key'),
        analytics.daily({ since: startOfUtcDay(now) - 29 * dayMs, until: now + 1 }, 'key'),
      ]);
      const dayTotals = new Map(lastDay.map((row) => [row.group, row]));
      const monthCost = new Map<string | null, number>();
      for (const row of lastMonth) monthCost.set(row.group, (monthCost.get(row.group) ?? 0) + row.costUsd);
      return {
        keys: list
          .map((key) => ({
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            team: key.team ?? null,
            models: key.models,
            createdAt: key.createdAt,
            expiresAt: key.expiresAt ?? null,
            revokedAt: key.revokedAt ?? null,
            requests24h: dayTotals.get(key.id)?.requests ?? 0,
            errors24h: dayTotals.get(key.id)?.errors ?? 0,
            costUsd30d: monthCost.get(key.id) ?? 0,
          }))
          .toSorted((a, b) => b.costUsd30d - a.costUsd30d || b.createdAt - a.createdAt),
      };
    });
  }

  /** Daily spend of a scope over the forecast's history, from the roll-up. */
  async #dailySpend(now: number, scope: Pick<AnalyticsFilter, 'team' | 'keyId' | 'model'>): Promise<DailySpend[]> {
    const since = startOfUtcDay(now) - forecastHistoryDays * dayMs;
    return spendByDay(await this.#dependencies.analytics.daily({ since, until: now + 1, ...scope }));
  }

  async #forecast(now: number, scope: Pick<AnalyticsFilter, 'team' | 'keyId' | 'model'>) {
    return forecastSpend({ dailySpend: await this.#dailySpend(now, scope), now });
  }

  async #budgets(now: number) {
    return Promise.all(this.#dependencies.budgets().map(async (budget) => {
      const scope = {
        ...(budget.team === undefined ? {} : { team: budget.team }),
        ...(budget.key === undefined ? {} : { keyId: budget.key }),
        ...(budget.model === undefined ? {} : { model: budget.model }),
      };
      return burnDownBudget({ budget, dailySpend: await this.#dailySpend(now, scope), now });
    }));
  }

  /** One computation per key and cache period, shared by concurrent callers; a failure is not kept. */
  #cached<Value>(key: string, compute: (now: number) => Promise<Value>, minimumCacheMs = 0): Promise<Value> {
    const now = this.#now();
    const hit = this.#cache.get(key);
    if (hit !== undefined && hit.expires > now) return hit.value as Promise<Value>;
    const value = compute(now);
    this.#cache.set(key, { expires: now + Math.max(minimumCacheMs, this.#dependencies.cacheMs ?? 5_000), value });
    value.catch(() => this.#cache.delete(key));
    return value;
  }
}
