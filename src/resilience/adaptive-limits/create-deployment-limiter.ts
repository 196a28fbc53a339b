import type { z } from 'zod';
import { isGatewayError } from '../../core/errors/index.ts';
import type { TokenUsage } from '../../core/model/index.ts';
import type { AttemptCall, AttemptOutput, CallInterceptor } from '../../core/pipeline/call-interceptor.ts';
import type { RateLimitInfo } from '../../providers/rate-limit-headers/parse-rate-limit-headers.ts';
import { deploymentKey } from '../../routing/balancing/deployment-key.ts';
import { watchStream } from '../../core/pipeline/watch-stream.ts';
import type { BucketCharge, RateLimitStore } from '../../stores/shared-state-contracts.ts';
import { deploymentLimiterOptionsSchema, type DeploymentLimits } from './deployment-limiter-options.ts';
import { createLearnedCapacity, type DeploymentCapacity } from './learned-capacity.ts';
import { isLocalRateLimit, localRateLimitError } from './local-rate-limit.ts';

export interface DeploymentLimiterOptions extends z.input<typeof deploymentLimiterOptionsSchema> {
  /** Holds the buckets, shared across processes and hosts. */
  store: RateLimitStore;
  /** Epoch milliseconds; injected so tests control time. */
  now?: () => number;
  /** A settlement that failed to reach the store; the answer is not held back for it. */
  onStoreError?: (error: unknown) => void;
}

/**
 * A CallInterceptor (use it as one) that also learns from the provider layer. Place it inside the
 * retry interceptor, so that every attempt is charged, and outside the timeout one.
 */
export interface DeploymentLimiter extends CallInterceptor {
  /** The provider layer reports every answer's parsed rate-limit headers (successes and errors alike). */
  observeHeaders(deployment: string, info: RateLimitInfo): void;
  /** What a deployment is allowed now, for the admin API and tests. */
  capacity(deployment: string): DeploymentCapacity;
  snapshot(): Record<string, DeploymentCapacity>;
}

const secondsPerMinute = 60;

const bucket = (key: string, perMinute: number, amount: number): BucketCharge => ({ key, capacity: perMinute, refillPerSecond: perMinute / secondsPerMinute, amount });

const usedTokens = (usage: TokenUsage): number => usage.inputTokens + usage.outputTokens;

/**
 * Adaptive per-deployment rate limiting (token buckets for requests and tokens per minute):
 *
 * - before an attempt, takes 1 request and the call's estimated tokens (at most the bucket's size) from
 *   the deployment's two buckets, all or none; refused, it throws a local `upstream_rate_limited` with
 *   `retryAfterSeconds`, so dispatch falls over to the next target or the queue waits;
 * - after it, settles the token bucket with the real usage (estimate − actual back, or more taken); a
 *   failed attempt gets its tokens back (providers count no tokens for refused calls), a stream that
 *   sent no usage keeps its estimate;
 * - learns the ceiling from the provider's rate-limit headers (`observeHeaders`), and the share of it
 *   by AIMD: an upstream 429 multiplies the share by `decrease` (honouring its Retry-After as a local
 *   pause), successes add it back. Learned limits are per process (see LearnedCapacity); the buckets
 *   are in the shared store.
 */
export const createDeploymentLimiter = ({ store, now = Date.now, onStoreError = () => {}, ...options }: DeploymentLimiterOptions): DeploymentLimiter => {
  const capacities = createLearnedCapacity(deploymentLimiterOptionsSchema.parse(options));

  const settle = (charges: readonly BucketCharge[]): void => {
    if (charges.every((charge) => charge.amount === 0)) return;
    // Not awaited: the answer is not held back for bookkeeping.
    try {
      store.adjust(charges, now()).catch(onStoreError);
    } catch (error) {
      onStoreError(error);
    }
  };

  const admit = async (call: AttemptCall, deployment: string): Promise<{ limits: DeploymentLimits; chargedTokens: number }> => {
    const at = now();
    const { limits, pausedUntil } = capacities.get(deployment);
    if (pausedUntil > at) throw localRateLimitError(deployment, (pausedUntil - at) / 1000, 'its provider asked for a pause');
    const estimate = Number.isFinite(call.estimatedTokens) ? Math.max(0, Math.ceil(call.estimatedTokens)) : 0;
    // A call larger than the whole bucket would wait forever; it takes the whole bucket instead.
    const chargedTokens = Math.min(estimate, limits.tokensPerMinute);
    const decision = await store.consume(
      [bucket(`deployment:${deployment}:rpm`, limits.requestsPerMinute, 1), bucket(`deployment:${deployment}:tpm`, limits.tokensPerMinute, chargedTokens)],
      at,
    );
    if (!decision.allowed) throw localRateLimitError(deployment, decision.retryAfterSeconds, 'its requests- or tokens-per-minute limit is reached');
    return { limits, chargedTokens };
  };

  const interceptor: CallInterceptor = (next) => async (call) => {
    const deployment = deploymentKey(call.provider, call.model);
    const { limits, chargedTokens } = await admit(call, deployment);
    const giveBack = (amount: number): void => settle([bucket(`deployment:${deployment}:tpm`, limits.tokensPerMinute, amount)]);
    let output: AttemptOutput;
    try {
      output = await next(call);
    } catch (thrown) {
      giveBack(chargedTokens);
      if (isGatewayError(thrown) && thrown.code === 'upstream_rate_limited' && !isLocalRateLimit(thrown)) {
        capacities.rateLimited(deployment, now(), thrown.retryAfterSeconds);
      }
      throw thrown;
    }
    capacities.succeeded(deployment);
    if (output.type === 'result') {
      giveBack(chargedTokens - usedTokens(output.result.usage));
      return output;
    }
    const events = watchStream(output.events, ({ usage }) => {
      if (usage !== undefined) giveBack(chargedTokens - usedTokens(usage));
    });
    return { type: 'stream', events };
  };

  return Object.assign(interceptor, {
    observeHeaders: (deployment: string, info: RateLimitInfo) => capacities.learn(deployment, info, now()),
    capacity: (deployment: string) => capacities.get(deployment),
    snapshot: () => capacities.snapshot(),
  });
};
