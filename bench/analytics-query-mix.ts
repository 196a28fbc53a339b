/** One kind of admin analytics call the benchmark repeats: its label in the report and its path with query. */
export interface AnalyticsQueryShape {
  name: string;
  path: string;
}

/** What the mix filters on: values that exist in the generated log. */
export interface AnalyticsMixSubjects {
  /** A virtual key id that made requests in the log. */
  keyId: string;
  /** A team that owns at least one such key. */
  team: string;
  /** An end user in the log. */
  endUser: string;
  /** A model alias in the log. */
  model: string;
}

const call = (name: string, endpoint: 'summary' | 'daily' | 'requests', parameters: Record<string, string>): AnalyticsQueryShape => ({
  name,
  path: `/admin/analytics/${endpoint}?${new URLSearchParams(parameters).toString()}`,
});

/**
 * What an operator's dashboard and scripts ask for over a day: percentile summaries over a day, a week
 * and the month (the expensive ones: SQLite sorts every row in the window), totals from the daily
 * roll-up, and pages of the raw log with filters. The order is the order of one round.
 */
export const analyticsQueryMix = (subjects: AnalyticsMixSubjects): AnalyticsQueryShape[] => [
  call('summary, last 24 h', 'summary', { since: '24h' }),
  call('summary by model, last 7 d', 'summary', { groupBy: 'model', since: '7d' }),
  call('summary by day, last 30 d', 'summary', { groupBy: 'day', since: '30d' }),
  call('summary, one key, last 7 d', 'summary', { key: subjects.keyId, since: '7d' }),
  call('summary by team, last 24 h', 'summary', { groupBy: 'team', since: '24h' }),
  call('daily by model, last 30 d', 'daily', { groupBy: 'model', since: '30d' }),
  call('daily by team, last 30 d', 'daily', { groupBy: 'team', since: '30d' }),
  call('requests: 100 newest of one end user', 'requests', { limit: '100', endUser: subjects.endUser }),
  call('requests: 100 newest 5xx of one model, 24 h', 'requests', { limit: '100', model: subjects.model, status: '5xx', since: '24h' }),
  call('requests: 100 newest of one team, 7 d', 'requests', { limit: '100', team: subjects.team, since: '7d' }),
];

/**
 * The calls of `rounds` rounds in the order callers take them. Each round starts one shape further on,
 * so at concurrency above 1 no shape always queues behind the same neighbour.
 */
export const analyticsCallOrder = <Shape>(shapes: readonly Shape[], rounds: number): Shape[] =>
  Array.from({ length: rounds }, (_, round) => shapes.map((_shape, index) => shapes[(index + round) % shapes.length] as Shape)).flat();
