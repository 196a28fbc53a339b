import { request, type Dispatcher } from 'undici';
import type { FaultRule } from '../simulator/fault-rule.ts';

/** A provider problem the live run plays through the simulator's fault control (`/_sim/faults`). */
export interface LiveIncident {
  name: string;
  /** What an operator would see, for the console. */
  description: string;
  rules: FaultRule[];
}

/**
 * Faults in force all the time, under any incident: the odd provider error, and `extract`'s primary
 * model often answering JSON that misses the schema (output validation re-asks; the quality page shows
 * it), in line with the regression in the synthesized history.
 */
export const baselineFaultRules: FaultRule[] = [
  { fault: 'invalid-json', model: 'gpt-4.1-mini', rate: 0.25 },
  { fault: 'overloaded', model: 'claude-sonnet-4-5', rate: 0.01 },
  { fault: 'server-error', rate: 0.005 },
];

/** Played in turn: each shows something different on the providers' health. */
export const liveIncidents: readonly LiveIncident[] = [
  {
    name: 'rate-limit-burst',
    description: 'Anthropic answers 15 calls to claude-sonnet-4-5 with 429: the queue holds `claude` calls back while it recovers',
    rules: [{ fault: 'rate-limit', model: 'claude-sonnet-4-5', count: 15 }],
  },
  {
    name: 'provider-errors',
    description: 'gpt-4.1 answers 500: `smart` falls back to Claude and the breaker opens',
    rules: [{ fault: 'server-error', model: 'gpt-4.1' }],
  },
  {
    name: 'slow-provider',
    description: 'gemini-2.5-flash hangs on 30% of calls until the timeout: retries and slow answers on `gemini`',
    rules: [{ fault: 'hang', model: 'gemini-2.5-flash', rate: 0.3 }],
  },
];

/** When incidents happen, from the start of the live run. */
export interface IncidentSchedule {
  firstAfterMs: number;
  everyMs: number;
  lastingMs: number;
}

export const defaultIncidentSchedule: IncidentSchedule = { firstAfterMs: 45_000, everyMs: 120_000, lastingMs: 40_000 };

/** The incident in progress `elapsedMs` into the run, if any: they start on schedule and take turns. */
export const incidentInProgress = (elapsedMs: number, schedule: IncidentSchedule): LiveIncident | undefined => {
  if (elapsedMs < schedule.firstAfterMs) return undefined;
  const since = elapsedMs - schedule.firstAfterMs;
  const index = Math.floor(since / schedule.everyMs);
  if (since - index * schedule.everyMs >= schedule.lastingMs) return undefined;
  return liveIncidents[index % liveIncidents.length];
};

/** Replaces the simulator's fault rules over its control plane; rejects when the simulator refuses them. */
export const setSimulatorFaults = async (simulatorUrl: string, rules: readonly FaultRule[], dispatcher?: Dispatcher): Promise<void> => {
  const response = await request(`${simulatorUrl}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
    ...(dispatcher === undefined ? {} : { dispatcher }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`the simulator refused the fault rules (${response.statusCode}): ${text}`);
};
