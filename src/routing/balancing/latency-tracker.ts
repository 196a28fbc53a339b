/** One finished (or timed-out) attempt's timings, in milliseconds. */
export interface LatencySample {
  /** From sending the request to the whole answer (or the end of the stream). */
  latencyMs?: number;
  /** From sending the request to the first streamed event. */
  timeToFirstTokenMs?: number;
}

/** What the balancer knows about one deployment. */
export interface DeploymentLatency {
  /** Exponentially weighted moving average; undefined until a sample arrives. */
  latencyMs: number | undefined;
  timeToFirstTokenMs: number | undefined;
  /** Attempts begun and not yet ended. */
  inFlight: number;
}

/**
 * Per-deployment latency and load, kept in this process's memory: balancing reacts to what this
 * process sees, which needs no coordination and is never stale. Deployments are keyed by
 * `deploymentKey(provider, model)`.
 */
export interface LatencyTracker {
  observe(deployment: string, sample: LatencySample): void;
  /** An attempt starts; every `begin` must be paired with one `end`. */
  begin(deployment: string): void;
  end(deployment: string): void;
  /** A live, read-only view (no copy on the hot path); use `snapshot` to keep values. */
  get(deployment: string): Readonly<DeploymentLatency>;
  /** Every deployment seen, for the admin API. */
  snapshot(): Record<string, DeploymentLatency>;
}

export interface LatencyTrackerOptions {
  /**
   * Weight of a new sample in the moving average (0..1]. 0.2 lets a slowdown show within a few
   * requests while one outlier moves the average by a fifth of its excess.
   */
  smoothing?: number;
}

const unknown: DeploymentLatency = Object.freeze({ latencyMs: undefined, timeToFirstTokenMs: undefined, inFlight: 0 });

const isDuration = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && value >= 0;

export const createLatencyTracker = ({ smoothing = 0.2 }: LatencyTrackerOptions = {}): LatencyTracker => {
  if (!(smoothing > 0 && smoothing <= 1)) throw new RangeError(`smoothing must be in (0, 1], got ${smoothing}`);
  const deployments = new Map<string, DeploymentLatency>();
  const entry = (deployment: string): DeploymentLatency => {
    let found = deployments.get(deployment);
    if (found === undefined) {
      found = { latencyMs: undefined, timeToFirstTokenMs: undefined, inFlight: 0 };
      deployments.set(deployment, found);
    }
    return found;
  };
  const average = (previous: number | undefined, sample: number): number =>
    previous === undefined ? sample : previous + smoothing * (sample - previous);

  return {
    observe(deployment, { latencyMs, timeToFirstTokenMs }) {
      if (!isDuration(latencyMs) && !isDuration(timeToFirstTokenMs)) return;
      const state = entry(deployment);
      if (isDuration(latencyMs)) state.latencyMs = average(state.latencyMs, latencyMs);
      if (isDuration(timeToFirstTokenMs)) state.timeToFirstTokenMs = average(state.timeToFirstTokenMs, timeToFirstTokenMs);
    },
    begin(deployment) {
      entry(deployment).inFlight += 1;
    },
    end(deployment) {
      const state = deployments.get(deployment);
      // Never below zero: an unpaired `end` must not make a deployment look idler than idle.
      if (state !== undefined && state.inFlight > 0) state.inFlight -= 1;
    },
    get: (deployment) => deployments.get(deployment) ?? unknown,
    snapshot: () => Object.fromEntries([...deployments].map(([deployment, state]) => [deployment, { ...state }])),
  };
};
