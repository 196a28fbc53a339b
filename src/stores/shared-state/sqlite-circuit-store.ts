import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { CircuitPolicy, CircuitState, CircuitStore } from '../shared-state-contracts.ts';
import { readNumber, readOptionalNumber, readString, type Row } from '../sqlite/read-row.ts';
import { admitCircuit, circuitPhase, circuitView, createCircuitRecord, recordCircuitOutcome, type CircuitRecord } from './circuit-record.ts';
import { windowSlices } from './shared-state.ts';
import { ImmediateTransaction } from './sqlite-transaction.ts';
import { assertDeployment, assertNow, assertOutcome, assertPolicy } from './validate-shared-state-input.ts';

const toRecord = (row: Row): CircuitRecord => {
  const slots: unknown = JSON.parse(readString(row, 'slots'));
  if (!Array.isArray(slots) || slots.length !== windowSlices * 3 || !slots.every((value) => typeof value === 'number')) {
    throw new TypeError('column slots: expected a JSON array of numbers');
  }
  return {
    openedAt: readOptionalNumber(row, 'opened_at'),
    consecutiveFailures: readNumber(row, 'consecutive_failures'),
    probes: readNumber(row, 'probes'),
    probesSince: readNumber(row, 'probes_since'),
    slots,
  };
};

/**
 * Circuit breakers in the `circuits` table, shared by every process that opens the file. `read` and a
 * closed or open `admit` only read; a half-open `admit` and `record` run in an IMMEDIATE transaction.
 */
export class SqliteCircuitStore implements CircuitStore {
  readonly #transaction: ImmediateTransaction;
  readonly #select: StatementSync;
  readonly #selectAll: StatementSync;
  readonly #upsert: StatementSync;
  readonly #pristine = createCircuitRecord();

  constructor(database: DatabaseSync) {
    this.#transaction = new ImmediateTransaction(database);
    this.#select = database.prepare('SELECT * FROM circuits WHERE deployment = ?');
    this.#selectAll = database.prepare('SELECT * FROM circuits ORDER BY deployment');
    this.#upsert = database.prepare(
      `INSERT INTO circuits (deployment, opened_at, consecutive_failures, probes, probes_since, slots) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (deployment) DO UPDATE SET opened_at = excluded.opened_at, consecutive_failures = excluded.consecutive_failures,
         probes = excluded.probes, probes_since = excluded.probes_since, slots = excluded.slots`,
    );
  }

  async read(deployment: string, policy: CircuitPolicy, now: number): Promise<CircuitState> {
    this.#check(deployment, policy, now);
    return circuitView(this.#load(deployment) ?? this.#pristine, policy, now);
  }

  async admit(deployment: string, policy: CircuitPolicy, now: number): Promise<boolean> {
    this.#check(deployment, policy, now);
    const seen = this.#load(deployment);
    if (seen === undefined) return true;
    // Closed or open: admitting changes nothing, so no write lock is taken.
    if (circuitPhase(seen, policy, now) !== 'half-open') return admitCircuit(seen, policy, now);
    return this.#transaction.run(() => {
      const record = this.#load(deployment) ?? createCircuitRecord();
      // Refusing a probe changes nothing; admitting one takes its slot.
      const admitted = admitCircuit(record, policy, now);
      if (admitted) this.#save(deployment, record);
      return admitted;
    });
  }

  async record(deployment: string, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): Promise<CircuitState> {
    this.#check(deployment, policy, now);
    assertOutcome(outcome);
    return this.#transaction.run(() => {
      const record = this.#load(deployment) ?? createCircuitRecord();
      const state = recordCircuitOutcome(record, outcome, policy, now);
      this.#save(deployment, record);
      return state;
    });
  }

  async list(policy: CircuitPolicy, now: number): Promise<Record<string, CircuitState>> {
    assertPolicy(policy);
    assertNow(now);
    return Object.fromEntries(this.#selectAll.all().map((row) => [readString(row, 'deployment'), circuitView(toRecord(row), policy, now)]));
  }

  #load(deployment: string): CircuitRecord | undefined {
    const row = this.#select.get(deployment);
    return row === undefined ? undefined : toRecord(row);
  }

  #save(deployment: string, record: CircuitRecord): void {
    this.#upsert.run(deployment, record.openedAt ?? null, record.consecutiveFailures, record.probes, record.probesSince, JSON.stringify(record.slots));
  }

  #check(deployment: string, policy: CircuitPolicy, now: number): void {
    assertDeployment(deployment);
    assertPolicy(policy);
    assertNow(now);
  }
}
