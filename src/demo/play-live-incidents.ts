import { baselineFaultRules, incidentInProgress, setSimulatorFaults, type IncidentSchedule, type LiveIncident } from './live-incidents.ts';

export interface IncidentPlayerOptions {
  simulatorUrl: string;
  /** False plays no incidents: only the baseline faults. */
  schedule: IncidentSchedule | false;
  print: (line: string) => void;
  /** How often the schedule is checked. Default 1 s. */
  tickMs?: number;
  /** Told once the simulator has taken an incident's rules (undefined: back to the baseline). */
  onApplied?: (incident: LiveIncident | undefined) => void;
}

export interface IncidentPlayer {
  /** Resolves once the baseline faults are in force. */
  ready: Promise<void>;
  /** Stops the schedule and clears the simulator's faults. */
  stop(): Promise<void>;
}

const clock = (): string => new Date().toISOString().slice(11, 19);

/**
 * Puts the baseline faults in force, then each incident in turn on schedule, over the simulator's
 * control plane, announcing each start and end. Changes are sent one after another, never racing.
 */
export const playLiveIncidents = (options: IncidentPlayerOptions): IncidentPlayer => {
  const startedAt = performance.now();
  let current: LiveIncident | undefined;
  let pending = setSimulatorFaults(options.simulatorUrl, baselineFaultRules);
  const ready = pending;
  const send = (incident: LiveIncident | undefined): void => {
    const rules = incident === undefined ? baselineFaultRules : [...incident.rules, ...baselineFaultRules];
    pending = pending
      .then(() => setSimulatorFaults(options.simulatorUrl, rules))
      .then(() => options.onApplied?.(incident))
      .catch((error: unknown) => options.print(`[incident] could not set the simulator's faults: ${(error as Error).message}`));
  };
  const { schedule } = options;
  const timer =
    schedule === false
      ? undefined
      : setInterval(() => {
          const next = incidentInProgress(performance.now() - startedAt, schedule);
          if (next === current) return;
          if (current !== undefined) options.print(`[incident] ${clock()} over: ${current.name}`);
          if (next !== undefined) options.print(`[incident] ${clock()} ${next.name}: ${next.description}`);
          current = next;
          send(next);
        }, options.tickMs ?? 1_000);
  return {
    ready,
    async stop() {
      clearInterval(timer);
      await pending.catch(() => undefined);
      await setSimulatorFaults(options.simulatorUrl, []).catch(() => undefined);
    },
  };
};
