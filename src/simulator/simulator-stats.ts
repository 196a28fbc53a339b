/** What a simulator has served, for tests and benchmarks to check what reached the "provider". */
export interface SimulatorStats {
  requests: number;
  /** By route name, e.g. `openai.chat`, `anthropic.messages`, `bedrock.converse-stream`. */
  byRoute: Record<string, number>;
  /** By injected fault. */
  byFault: Record<string, number>;
  /** By HTTP status of answers that were sent (hung and reset requests have none). */
  byStatus: Record<string, number>;
}

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export class StatsRecorder {
  #stats: SimulatorStats = { requests: 0, byRoute: {}, byFault: {}, byStatus: {} };

  route(name: string): void {
    this.#stats.requests += 1;
    increment(this.#stats.byRoute, name);
  }

  fault(name: string): void {
    increment(this.#stats.byFault, name);
  }

  status(status: number): void {
    increment(this.#stats.byStatus, String(status));
  }

  snapshot(): SimulatorStats {
    return structuredClone(this.#stats);
  }

  reset(): void {
    this.#stats = { requests: 0, byRoute: {}, byFault: {}, byStatus: {} };
  }
}
