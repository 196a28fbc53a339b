import type { CircuitPolicy, CircuitState, CircuitStore } from '../shared-state-contracts.ts';
import { admitCircuit, circuitView, createCircuitRecord, recordCircuitOutcome, type CircuitRecord } from './circuit-record.ts';
import { assertDeployment, assertNow, assertOutcome, assertPolicy } from './validate-shared-state-input.ts';

/** Circuit breakers in this process's memory. A deployment is listed once an outcome has been recorded for it. */
export class MemoryCircuitStore implements CircuitStore {
  readonly #records = new Map<string, CircuitRecord>();
  /** Stands in for a deployment with no record yet: closed, zero counts. Never mutated (admit does not touch a closed record). */
  readonly #pristine = createCircuitRecord();

  async read(deployment: string, policy: CircuitPolicy, now: number): Promise<CircuitState> {
    this.#check(deployment, policy, now);
    return circuitView(this.#records.get(deployment) ?? this.#pristine, policy, now);
  }

  async admit(deployment: string, policy: CircuitPolicy, now: number): Promise<boolean> {
    this.#check(deployment, policy, now);
    const record = this.#records.get(deployment);
    return record === undefined || admitCircuit(record, policy, now);
  }

  async record(deployment: string, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): Promise<CircuitState> {
    this.#check(deployment, policy, now);
    assertOutcome(outcome);
    let record = this.#records.get(deployment);
    if (record === undefined) {
      record = createCircuitRecord();
      this.#records.set(deployment, record);
    }
    return recordCircuitOutcome(record, outcome, policy, now);
  }

  async list(policy: CircuitPolicy, now: number): Promise<Record<string, CircuitState>> {
    assertPolicy(policy);
    assertNow(now);
    // fromEntries defines properties, so a deployment called "__proto__" is listed rather than set as the prototype.
    return Object.fromEntries(Array.from(this.#records, ([deployment, record]) => [deployment, circuitView(record, policy, now)]));
  }

  #check(deployment: string, policy: CircuitPolicy, now: number): void {
    assertDeployment(deployment);
    assertPolicy(policy);
    assertNow(now);
  }
}
