import { GatewayError, isGatewayError } from '../../core/errors/index.ts';

/** The cause of a refusal Bulwark made itself, without calling the provider. */
export class LocalRateLimitDecision {
  readonly deployment: string;
  readonly retryAfterSeconds: number;

  constructor(deployment: string, retryAfterSeconds: number) {
    this.deployment = deployment;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * `upstream_rate_limited` for a deployment Bulwark itself holds back: its bucket is empty, or its
 * provider asked for a pause. The catalog entry makes dispatch fall over to the next target, and
 * `retryAfterSeconds` tells a queue how long to wait. It has no `upstreamStatus`: the provider was not
 * called, and the message says so, for logs and the attempts list.
 */
export const localRateLimitError = (deployment: string, retryAfterSeconds: number, reason: string): GatewayError => {
  const seconds = Math.max(0, retryAfterSeconds);
  return new GatewayError(
    'upstream_rate_limited',
    `Bulwark held back ${deployment}: ${reason} (a local decision; the provider was not called). Retry after ${Math.ceil(seconds)} s.`,
    { retryAfterSeconds: seconds, cause: new LocalRateLimitDecision(deployment, seconds) },
  );
};

/** True for the limiter's own refusals, false for a 429 the provider sent. */
export const isLocalRateLimit = (error: unknown): boolean => isGatewayError(error) && error.cause instanceof LocalRateLimitDecision;
