import { GatewayError } from '../../core/errors/index.ts';
import type { TokenUsage } from '../../core/model/index.ts';
import type { GatewayResponse } from '../../core/pipeline/gateway-response.ts';
import type { Principal, RequestContext } from '../../core/pipeline/request-context.ts';
import type { Next, Stage } from '../../core/pipeline/stage.ts';
import type { BucketCharge, ConcurrencyLease, ConcurrencyStore, ConsumeResult, RateLimitStore } from '../../stores/shared-state-contracts.ts';
import { estimateGeneratedTokens, estimateInputTokens } from './estimate-request-tokens.ts';
import type { KeyLimits } from './key-limits-schema.ts';
import { watchStream, type StreamSummary } from '../../core/pipeline/watch-stream.ts';

export interface KeyLimitsStageOptions {
  store: RateLimitStore;
  concurrency: ConcurrencyStore;
  /** The key's limits (its metadata over the config's defaults); undefined or `{}` enforces none. */
  limitsFor(principal: Principal): KeyLimits | undefined | Promise<KeyLimits | undefined>;
  /** Output tokens charged up front when the request sets no `max_tokens`. Default 1,024. */
  defaultOutputTokens?: number;
  /**
   * How long a concurrency slot outlives a holder that never releases it (a crashed process). Longer
   * than the longest call, or a slow stream would lose its slot while still running. Default 10 minutes.
   */
  concurrencyLeaseMs?: number;
  /** `Retry-After` when the key has too many requests in flight: no store can know when one ends. Default 1. */
  concurrencyRetryAfterSeconds?: number;
  /** Epoch ms. */
  now?: () => number;
  /** A settlement the store failed (a refund, a release): the call has been answered, so it is only reported. */
  onStoreError?: (error: unknown) => void;
}

/** One admitted request: what to give back or take once its real usage is known. */
interface Admission {
  tokens: BucketCharge | undefined;
  /** Estimated input tokens, to bill a stream that ended without a usage event. */
  inputEstimate: number;
  lease: ConcurrencyLease | undefined;
}

const limitNames = { rpm: 'requests per minute', tpm: 'tokens per minute' } as const;

const bucket = (keyId: string, kind: keyof typeof limitNames, perMinute: number, amount: number): BucketCharge => ({
  key: `key:${keyId}:${kind}`,
  capacity: perMinute,
  refillPerSecond: perMinute / 60,
  // A request larger than the whole bucket could never pass: it takes the full bucket instead, and
  // settlement takes the rest, so the key waits as long as it should afterwards.
  amount: Math.min(amount, perMinute),
});

/** Which limit refused: the first bucket left with less than its charge. */
const refusalMessage = (charges: readonly BucketCharge[], result: ConsumeResult): string => {
  const index = charges.findIndex((charge, position) => (result.remaining[position] ?? 0) < charge.amount);
  const charge = charges[index === -1 ? 0 : index];
  const kind = charge?.key.endsWith(':tpm') === true ? 'tpm' : 'rpm';
  return `This API key is over its limit of ${charge?.capacity ?? 0} ${limitNames[kind]}.`;
};

const usedTokens = (usage: TokenUsage): number => usage.inputTokens + usage.outputTokens;

/** A stream cut off before its usage event is charged what was sent and what it generated. */
const streamTokens = (admission: Admission, summary: StreamSummary): number =>
  summary.usage === undefined ? admission.inputEstimate + estimateGeneratedTokens(summary.generatedCharacters) : usedTokens(summary.usage);

/**
 * Per-key admission: requests per minute and tokens per minute as token buckets in the shared
 * `RateLimitStore` (so they hold across replicas), and concurrent requests as leases in the
 * `ConcurrencyStore`. Tokens are charged with a cheap estimate before the call (input by length, plus
 * `max_tokens` or a default) and settled with the real usage after it: when the result returns, or when
 * the stream ends, fails or is abandoned. Over a limit → `key_rate_limited` (429) with `Retry-After`.
 * A request with no principal (auth off) or no limits passes untouched.
 */
export const createKeyLimitsStage = (options: KeyLimitsStageOptions): Stage => {
  const { store, concurrency, limitsFor } = options;
  const defaultOutputTokens = options.defaultOutputTokens ?? 1024;
  const leaseMs = options.concurrencyLeaseMs ?? 600_000;
  const concurrencyRetryAfterSeconds = options.concurrencyRetryAfterSeconds ?? 1;
  const now = options.now ?? Date.now;
  const onStoreError = options.onStoreError ?? (() => {});
  const inBackground = (work: () => Promise<void>): void => {
    try {
      work().catch(onStoreError);
    } catch (error) {
      onStoreError(error);
    }
  };

  const admit = async (context: RequestContext, keyId: string, limits: KeyLimits): Promise<Admission> => {
    const inputEstimate = estimateInputTokens(context.request);
    const charges: BucketCharge[] = [];
    if (limits.requestsPerMinute !== undefined) charges.push(bucket(keyId, 'rpm', limits.requestsPerMinute, 1));
    const tokens =
      limits.tokensPerMinute === undefined
        ? undefined
        : bucket(keyId, 'tpm', limits.tokensPerMinute, inputEstimate + (context.request.sampling.maxOutputTokens ?? defaultOutputTokens));
    if (tokens !== undefined) charges.push(tokens);
    if (charges.length > 0) {
      const result = await store.consume(charges, now());
      if (!result.allowed) throw new GatewayError('key_rate_limited', refusalMessage(charges, result), { retryAfterSeconds: result.retryAfterSeconds });
    }
    let lease: ConcurrencyLease | undefined;
    if (limits.maxConcurrent !== undefined) {
      lease = await concurrency.acquire(`key:${keyId}:concurrent`, limits.maxConcurrent, leaseMs, now());
      if (lease === undefined) {
        // Not admitted after all: the buckets get back what was just taken.
        if (charges.length > 0) await store.adjust(charges, now()).catch(onStoreError);
        throw new GatewayError('key_rate_limited', `This API key already has ${limits.maxConcurrent} requests in flight, its limit.`, {
          retryAfterSeconds: concurrencyRetryAfterSeconds,
        });
      }
    }
    return { tokens, inputEstimate, lease };
  };

  /**
   * Gives back (or takes) the difference between the estimate and `actualTokens`, and frees the slot.
   * Started, not awaited: the answer is not held back for bookkeeping. The commands are issued before
   * the answer leaves, so this process's next acquire for the key (on the same store connection) comes
   * after the release.
   */
  const settle = (admission: Admission, actualTokens: number): void => {
    const { tokens, lease } = admission;
    const at = now();
    if (tokens !== undefined && tokens.amount !== actualTokens) inBackground(() => store.adjust([{ ...tokens, amount: tokens.amount - actualTokens }], at));
    if (lease !== undefined) inBackground(() => concurrency.release(lease));
  };

  const runAdmitted = async (admission: Admission, next: Next): Promise<GatewayResponse> => {
    let response: GatewayResponse;
    try {
      response = await next();
    } catch (thrown) {
      // A failed call generated nothing: its whole token estimate goes back. The request still counts.
      settle(admission, 0);
      throw thrown;
    }
    if (response.type === 'result') {
      settle(admission, usedTokens(response.result.usage));
      return response;
    }
    return { type: 'stream', events: watchStream(response.events, (summary) => settle(admission, streamTokens(admission, summary))) };
  };

  return {
    name: 'key-limits',
    async run(context, next) {
      const principal = context.principal;
      if (principal === undefined) return next();
      const limits = await limitsFor(principal);
      if (limits === undefined || (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined && limits.maxConcurrent === undefined)) {
        return next();
      }
      return runAdmitted(await admit(context, principal.keyId, limits), next);
    },
  };
};
