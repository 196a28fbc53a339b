import type { CircuitPhase, CircuitPolicy, CircuitState } from '../shared-state-contracts.ts';
import { windowSlices } from './shared-state.ts';

/**
 * One deployment's breaker, as the memory and SQLite stores keep it; redis-circuit-scripts.ts repeats
 * the same state machine in Lua.
 *
 * - closed → open: a failure that makes `policy.consecutiveFailures` in a row, or leaves the window
 *   with at least `minimumRequests` outcomes of which a share `failureRateThreshold` failed.
 * - open → half-open: by itself, once `openMs` has passed (nothing is stored for it).
 * - half-open: `admit` lets `halfOpenProbes` through; a success closes and resets every counter, a
 *   failure opens again from now. A probe that has not reported within `openMs` is presumed lost and
 *   its slot freed, so a crashed prober cannot keep the circuit half-open for ever.
 * - An outcome reported while open (a call admitted before the circuit opened) is counted but changes
 *   no phase. The store cannot tell a probe's outcome from a straggler's once half-open.
 *
 * The rolling window is `windowSlices` slices of `windowMs / windowSlices`: an outcome leaves the window
 * between 0.9 and 1 × `windowMs` after it was recorded. A slice is found by its epoch, so after a change
 * of `windowMs` older slices are misplaced until they roll out of the window (at most one window).
 */
export interface CircuitRecord {
  /** Epoch ms the circuit last opened; undefined while closed. */
  openedAt: number | undefined;
  consecutiveFailures: number;
  /** Probes admitted in the current half-open period, and when the first of them was. */
  probes: number;
  probesSince: number;
  /** [epoch, successes, failures] for each slice; epoch = floor(now / slice length), -1 when unused. */
  slots: number[];
}

const emptySlots = (): number[] => {
  const slots: number[] = [];
  for (let slice = 0; slice < windowSlices; slice++) slots.push(-1, 0, 0);
  return slots;
};

export const createCircuitRecord = (): CircuitRecord => ({ openedAt: undefined, consecutiveFailures: 0, probes: 0, probesSince: 0, slots: emptySlots() });

export function circuitPhase(record: CircuitRecord, policy: CircuitPolicy, now: number): CircuitPhase {
  if (record.openedAt === undefined) return 'closed';
  return now - record.openedAt >= policy.openMs ? 'half-open' : 'open';
}

const currentEpoch = (policy: CircuitPolicy, now: number): number => Math.floor(now / (policy.windowMs / windowSlices));

export function circuitView(record: CircuitRecord, policy: CircuitPolicy, now: number): CircuitState {
  const epoch = currentEpoch(policy, now);
  let windowSuccesses = 0;
  let windowFailures = 0;
  for (let slice = 0; slice < windowSlices; slice++) {
    const slotEpoch = record.slots[slice * 3] as number;
    if (slotEpoch <= epoch - windowSlices || slotEpoch > epoch) continue;
    windowSuccesses += record.slots[slice * 3 + 1] as number;
    windowFailures += record.slots[slice * 3 + 2] as number;
  }
  const phase = circuitPhase(record, policy, now);
  const base = { phase, consecutiveFailures: record.consecutiveFailures, windowSuccesses, windowFailures };
  return record.openedAt === undefined ? base : { ...base, openedAt: record.openedAt };
}

/** Takes a probe slot when half-open; true when closed. Mutates `record` only when it admits a probe. */
export function admitCircuit(record: CircuitRecord, policy: CircuitPolicy, now: number): boolean {
  const phase = circuitPhase(record, policy, now);
  if (phase !== 'half-open') return phase === 'closed';
  if (record.probes > 0 && now - record.probesSince >= policy.openMs) record.probes = 0;
  if (record.probes >= policy.halfOpenProbes) return false;
  if (record.probes === 0) record.probesSince = now;
  record.probes += 1;
  return true;
}

const open = (record: CircuitRecord, now: number): void => {
  record.openedAt = now;
  record.probes = 0;
  record.probesSince = 0;
};

const reset = (record: CircuitRecord): void => {
  record.openedAt = undefined;
  record.consecutiveFailures = 0;
  record.probes = 0;
  record.probesSince = 0;
  for (let slice = 0; slice < windowSlices; slice++) {
    record.slots[slice * 3] = -1;
    record.slots[slice * 3 + 1] = 0;
    record.slots[slice * 3 + 2] = 0;
  }
};

const countOutcome = (record: CircuitRecord, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): void => {
  const epoch = currentEpoch(policy, now);
  const base = (epoch % windowSlices) * 3;
  if (record.slots[base] !== epoch) {
    record.slots[base] = epoch;
    record.slots[base + 1] = 0;
    record.slots[base + 2] = 0;
  }
  const field = base + (outcome === 'success' ? 1 : 2);
  record.slots[field] = (record.slots[field] as number) + 1;
};

const tripped = (state: CircuitState, policy: CircuitPolicy): boolean => {
  if (state.consecutiveFailures >= policy.consecutiveFailures) return true;
  const total = state.windowSuccesses + state.windowFailures;
  return total >= policy.minimumRequests && state.windowFailures / total >= policy.failureRateThreshold;
};

/** Counts an outcome and applies the policy; returns the state after it. */
export function recordCircuitOutcome(record: CircuitRecord, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): CircuitState {
  const phase = circuitPhase(record, policy, now);
  countOutcome(record, outcome, policy, now);
  if (outcome === 'success') {
    if (phase === 'half-open') reset(record);
    else record.consecutiveFailures = 0;
    return circuitView(record, policy, now);
  }
  record.consecutiveFailures += 1;
  if (phase === 'half-open') open(record, now);
  if (phase === 'closed' && tripped(circuitView(record, policy, now), policy)) open(record, now);
  return circuitView(record, policy, now);
}
