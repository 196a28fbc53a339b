import type { DemoProviderName } from './demo-routes.ts';

/**
 * A bad spell of one provider in the synthesized history: `errors` makes `share` of the tries at it
 * fail (so requests retry, fall back or fail), `slow` multiplies its latency by `share`.
 */
export interface HistoryIncident {
  /** Days before today (1 is yesterday). */
  daysAgo: number;
  /** UTC hours, fractional. */
  fromHour: number;
  toHour: number;
  provider: DemoProviderName;
  kind: 'errors' | 'slow';
  share: number;
}

/** Past incidents, so that provider health and error charts have stories to tell. */
export const historyIncidents: readonly HistoryIncident[] = [
  { daysAgo: 20, fromHour: 8, toHour: 9.25, provider: 'sim-openai', kind: 'errors', share: 0.3 },
  { daysAgo: 9, fromHour: 13.6, toHour: 15.2, provider: 'sim-anthropic', kind: 'errors', share: 0.35 },
  { daysAgo: 4, fromHour: 16, toHour: 17.5, provider: 'sim-gemini', kind: 'slow', share: 3 },
];

/** The incident under way for `provider` at that moment, if any. */
export const incidentAt = (daysAgo: number, hour: number, provider: DemoProviderName, kind: HistoryIncident['kind']): HistoryIncident | undefined =>
  historyIncidents.find(
    (incident) => incident.daysAgo === daysAgo && incident.provider === provider && incident.kind === kind && hour >= incident.fromHour && hour < incident.toHour,
  );
