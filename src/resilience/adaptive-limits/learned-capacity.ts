import type { RateLimitInfo } from '../../providers/rate-limit-headers/parse-rate-limit-headers.ts';
import type { DeploymentLimiterSettings, DeploymentLimits } from './deployment-limiter-options.ts';

/** What the limiter currently allows one deployment, and why. */
export interface DeploymentCapacity {
  /** The limits in force: `ceiling × share`, at least one request per minute. */
  limits: DeploymentLimits;
  /** The provider's advertised limits where its headers gave them, otherwise the configured ones. */
  ceiling: DeploymentLimits;
  /** Which parts of the ceiling came from headers. */
  advertised: { requests: boolean; tokens: boolean };
  /** The AIMD share of the ceiling, in [floor, 1]. */
  share: number;
  /** Epoch ms until which the provider asked not to be called (Retry-After); 0 when it did not. */
  pausedUntil: number;
}

interface State {
  ceiling: DeploymentLimits;
  advertised: { requests: boolean; tokens: boolean };
  share: number;
  lastDecreaseAt: number;
  pausedUntil: number;
}

/**
 * The learned side of the deployment limiter: per-deployment ceilings and AIMD shares. It lives in this
 * process's memory: each process learns from the answers it sees, which needs no coordination, and a
 * restart begins again from the configured limits, relearned from the first answer's headers. The
 * buckets these limits size live in the shared RateLimitStore, so the limits hold across processes.
 */
export interface LearnedCapacity {
  get(deployment: string): DeploymentCapacity;
  /** The provider answered 429: one multiplicative decrease per `decreaseIntervalMs`, and its pause. */
  rateLimited(deployment: string, now: number, retryAfterSeconds: number | undefined): void;
  /** The provider answered: additive increase, a window's worth of successes adding `increase`. */
  succeeded(deployment: string): void;
  /** Takes the ceiling from advertised limits, and a pause from Retry-After. */
  learn(deployment: string, info: RateLimitInfo, now: number): void;
  /** Every deployment seen, for the admin API. */
  snapshot(): Record<string, DeploymentCapacity>;
}

const advertisedTokenLimit = (info: RateLimitInfo): number | undefined => {
  if (info.tokens?.limit !== undefined) return info.tokens.limit;
  // Anthropic's combined limit is the sum of its input and output ones (see the recorded fixture).
  const input = info.inputTokens?.limit;
  const output = info.outputTokens?.limit;
  return input !== undefined && output !== undefined ? input + output : undefined;
};

const isPositive = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value) && value > 0;

export const createLearnedCapacity = (settings: DeploymentLimiterSettings): LearnedCapacity => {
  const states = new Map<string, State>();
  const stateOf = (deployment: string): State => {
    let state = states.get(deployment);
    if (state === undefined) {
      const configured = settings.deployments[deployment] ?? settings.initial;
      state = { ceiling: { ...configured }, advertised: { requests: false, tokens: false }, share: 1, lastDecreaseAt: Number.NEGATIVE_INFINITY, pausedUntil: 0 };
      states.set(deployment, state);
    }
    return state;
  };
  const limitsOf = (state: State): DeploymentLimits => ({
    // A bucket smaller than one request would refuse every call forever.
    requestsPerMinute: Math.max(1, state.ceiling.requestsPerMinute * state.share),
    tokensPerMinute: Math.max(1, state.ceiling.tokensPerMinute * state.share),
  });
  const capacityOf = (state: State): DeploymentCapacity => ({
    limits: limitsOf(state),
    ceiling: { ...state.ceiling },
    advertised: { ...state.advertised },
    share: state.share,
    pausedUntil: state.pausedUntil,
  });
  const pause = (state: State, now: number, seconds: number | undefined): void => {
    if (seconds === undefined || !(seconds > 0)) return;
    state.pausedUntil = Math.max(state.pausedUntil, now + Math.min(seconds, settings.maxPauseSeconds) * 1000);
  };

  return {
    get: (deployment) => capacityOf(stateOf(deployment)),
    rateLimited(deployment, now, retryAfterSeconds) {
      const state = stateOf(deployment);
      pause(state, now, retryAfterSeconds);
      if (now - state.lastDecreaseAt < settings.decreaseIntervalMs) return;
      state.lastDecreaseAt = now;
      state.share = Math.max(settings.floor, state.share * settings.decrease);
    },
    succeeded(deployment) {
      const state = stateOf(deployment);
      if (state.share >= 1) return;
      state.share = Math.min(1, state.share + settings.increase / limitsOf(state).requestsPerMinute);
    },
    learn(deployment, info, now) {
      const state = stateOf(deployment);
      pause(state, now, info.retryAfterSeconds);
      if (!settings.learnFromHeaders) return;
      const requests = info.requests?.limit;
      if (isPositive(requests)) {
        state.ceiling.requestsPerMinute = requests;
        state.advertised.requests = true;
      }
      const tokens = advertisedTokenLimit(info);
      if (isPositive(tokens)) {
        state.ceiling.tokensPerMinute = tokens;
        state.advertised.tokens = true;
      }
    },
    snapshot: () => Object.fromEntries([...states].map(([deployment, state]) => [deployment, capacityOf(state)])),
  };
};
