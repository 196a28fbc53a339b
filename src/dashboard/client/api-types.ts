/**
 * The dashboard JSON API as the client reads it (docs/dashboard.md; the server side is
 * src/dashboard/data/dashboard-data.ts). Fields the contract calls numbers are still typed `| null` where a
 * missing value is plausible (percentiles of an empty group), so every renderer handles the gap.
 */

// Type-only imports of the server's types: erased before the browser sees this module (amaro strips
// them; the loader's test checks that no import of them remains).
import type { BudgetBurnDown, BudgetBurnDownDay } from '../../cost/budgets/burn-down-budget.ts';
import type { SpendForecast } from '../../cost/forecast/forecast-spend.ts';
import type { QualityAlert } from '../../stores/request-analytics/quality-alert.ts';

/** One group's figures. `group` is null for requests without that attribute (no key, no end user). */
export interface Summary {
  group: string | null;
  requests: number;
  errors: number;
  errorRate: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
  p50TimeToFirstTokenMs: number | null;
  p95TimeToFirstTokenMs: number | null;
  p99TimeToFirstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** One hour (24h range) or one UTC day (7d, 30d); percentiles are null when the bucket is empty. */
export interface Bucket {
  start: number;
  requests: number;
  errors: number;
  costUsd: number;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
  p95TimeToFirstTokenMs: number | null;
}

// The server's own types (imported above), so the two cannot drift apart.

export type { BudgetBurnDown, QualityAlert, SpendForecast };
export type BudgetDay = BudgetBurnDownDay;

export interface RequestRow {
  requestId: string;
  startedAt: number;
  endpoint: string;
  clientFormat: string;
  keyId: string | null;
  endUser: string | null;
  modelRequested: string;
  provider: string | null;
  upstreamModel: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  finishReason: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  attempts: number;
}

export interface OverviewResponse {
  since: number;
  until: number;
  totals: Summary;
  requestsPerSecond: number;
  spend: { todayUsd: number; monthToDateUsd: number; forecast: SpendForecast | null };
  series: Bucket[];
  topModels: Summary[];
  alerts: QualityAlert[];
}

export interface CostsResponse {
  since: number;
  until: number;
  daily: { day: string; costUsd: number; requests: number }[];
  dailyByModel: { day: string; group: string | null; costUsd: number }[];
  byModel: Summary[];
  byKey: (Summary & { keyName: string | null; team: string | null })[];
  byTeam: Summary[];
  byEndUser: Summary[];
  forecast: SpendForecast | null;
  budgets: BudgetBurnDown[];
}

export interface LatencyResponse {
  since: number;
  until: number;
  series: Bucket[];
  byModel: Summary[];
  byProvider: Summary[];
}

export interface QualityRoute {
  route: string;
  currentScore: number | null;
  currentSamples: number;
  previousScore: number | null;
  previousSamples: number;
  change: number | null;
}

export interface QualityResponse {
  since: number;
  until: number;
  routes: QualityRoute[];
  daily: { day: string; route: string; score: number | null; samples: number; feedbackCount: number }[];
  alerts: QualityAlert[];
  recentFeedback: { requestId: string; score: number; comment: string | null; createdAt: number }[];
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface ProvidersResponse {
  circuits: {
    deployment: string;
    state: CircuitState;
    consecutiveFailures: number;
    openedAt: number | null;
    failureRate: number | null;
  }[];
  deployments: Summary[];
  errorsByCode: { code: string | null; requests: number }[];
}

export interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  team: string | null;
  models: string[];
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  requests24h: number;
  errors24h: number;
  costUsd30d: number;
}

export interface KeysResponse {
  keys: KeyRow[];
}
