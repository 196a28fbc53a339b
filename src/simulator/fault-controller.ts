import { createRandom, type Random } from './deterministic-random.ts';
import type { FaultName, FaultRule } from './fault-rule.ts';

interface ActiveRule {
  rule: FaultRule;
  fired: number;
}

/**
 * The faults a simulator injects into requests that carry no `x-sim-fault` header: used when a gateway
 * sits between the test and the simulator. Rules are checked in order; the first that fires wins.
 */
export class FaultController {
  #rules: ActiveRule[] = [];
  #random: Random;
  readonly #seed: number;

  constructor(seed = 0x5eed) {
    this.#seed = seed;
    this.#random = createRandom(seed);
  }

  /** Replaces the rules, and restarts the random source so a run with the same rules repeats exactly. */
  set(rules: readonly FaultRule[]): void {
    this.#rules = rules.map((rule) => ({ rule: { ...rule }, fired: 0 }));
    this.#random = createRandom(this.#seed);
  }

  clear(): void {
    this.set([]);
  }

  /** The rules in force, with how often each has fired. */
  list(): Array<FaultRule & { fired: number }> {
    return this.#rules.map(({ rule, fired }) => ({ ...rule, fired }));
  }

  /** Decides the fault for one request to `model`, counting it against the rule that fires. */
  pick(model: string): FaultName | undefined {
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.model !== undefined && rule.model !== model) continue;
      if (rule.count !== undefined && active.fired >= rule.count) continue;
      if (rule.rate !== undefined && !this.#random.chance(rule.rate)) continue;
      active.fired += 1;
      return rule.fault;
    }
    return undefined;
  }
}
