import type { Redis } from 'ioredis';
import type { CircuitPhase, CircuitPolicy, CircuitState, CircuitStore } from '../shared-state-contracts.ts';
import { admitCircuitScript, listCircuitsScript, readCircuitScript, recordCircuitScript } from './redis-circuit-scripts.ts';
import { expectList, parseLuaNumber } from './redis-script.ts';
import { assertDeployment, assertNow, assertOutcome, assertPolicy } from './validate-shared-state-input.ts';

const phases: ReadonlySet<unknown> = new Set<CircuitPhase>(['closed', 'open', 'half-open']);

/** Reads the five values a circuit script answers for one state, starting at `offset`. */
const toState = (values: readonly unknown[], offset: number): CircuitState => {
  const phase = values[offset];
  if (!phases.has(phase)) throw new TypeError('redis: a circuit script answered an unknown phase');
  const base = {
    phase: phase as CircuitPhase,
    consecutiveFailures: parseLuaNumber(values[offset + 2]),
    windowSuccesses: parseLuaNumber(values[offset + 3]),
    windowFailures: parseLuaNumber(values[offset + 4]),
  };
  const openedAt = values[offset + 1];
  return openedAt === '' ? base : { ...base, openedAt: parseLuaNumber(openedAt) };
};

const policyArgs = (policy: CircuitPolicy, now: number): (string | number)[] => [
  now,
  policy.consecutiveFailures,
  policy.failureRateThreshold,
  policy.minimumRequests,
  policy.windowMs,
  policy.openMs,
  policy.halfOpenProbes,
];

/** Circuit breakers in Redis, seen alike by every host: each call is one script. */
export class RedisCircuitStore implements CircuitStore {
  readonly #client: Redis;
  readonly #circuitPrefix: string;
  readonly #indexKey: string;

  /** `prefix` ends with a colon; circuits live under `<prefix>cb:<deployment>`, their names in `<prefix>cb-index`. */
  constructor(client: Redis, prefix: string) {
    this.#client = client;
    this.#circuitPrefix = `${prefix}cb:`;
    this.#indexKey = `${prefix}cb-index`;
  }

  async read(deployment: string, policy: CircuitPolicy, now: number): Promise<CircuitState> {
    this.#check(deployment, policy, now);
    return toState(expectList(await readCircuitScript.run(this.#client, [this.#circuitPrefix + deployment], policyArgs(policy, now))), 0);
  }

  async admit(deployment: string, policy: CircuitPolicy, now: number): Promise<boolean> {
    this.#check(deployment, policy, now);
    return (await admitCircuitScript.run(this.#client, [this.#circuitPrefix + deployment], policyArgs(policy, now))) === 1;
  }

  async record(deployment: string, outcome: 'success' | 'failure', policy: CircuitPolicy, now: number): Promise<CircuitState> {
    this.#check(deployment, policy, now);
    assertOutcome(outcome);
    const keys = [this.#circuitPrefix + deployment, this.#indexKey];
    return toState(expectList(await recordCircuitScript.run(this.#client, keys, [...policyArgs(policy, now), outcome, deployment])), 0);
  }

  async list(policy: CircuitPolicy, now: number): Promise<Record<string, CircuitState>> {
    assertPolicy(policy);
    assertNow(now);
    const reply = expectList(await listCircuitsScript.run(this.#client, [this.#indexKey], [...policyArgs(policy, now), this.#circuitPrefix]));
    const entries: [string, CircuitState][] = [];
    for (let offset = 0; offset + 6 <= reply.length; offset += 6) entries.push([String(reply[offset]), toState(reply, offset + 1)]);
    return Object.fromEntries(entries);
  }

  #check(deployment: string, policy: CircuitPolicy, now: number): void {
    assertDeployment(deployment);
    assertPolicy(policy);
    assertNow(now);
  }
}
