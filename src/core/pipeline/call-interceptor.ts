import type { GatewayError } from '../errors/index.ts';
import type { ChatResult, StreamEvent } from '../model/index.ts';

/** One attempt at one deployment: what the per-attempt interceptors see. */
export interface AttemptCall {
  requestId: string;
  /** The configured provider name and its model name: together they identify a deployment. */
  provider: string;
  model: string;
  /** Whether the caller asked for a stream; a stream that has sent its first byte is never retried. */
  stream: boolean;
  /** Aborts the attempt: the caller left, or an outer timeout fired. Interceptors derive their own. */
  signal: AbortSignal;
  /** The caller's priority class, for limiters and queues. */
  priority: 'high' | 'normal' | 'low';
  /** The virtual key, for per-key fairness. */
  keyId?: string;
  /** Estimated tokens of the call (input + expected output), charged before and settled after. */
  estimatedTokens: number;
  /** Position of the target in the route's order (0 = first): a client request counts once, at 0. */
  targetIndex?: number;
  /** How long the call may wait in a deployment's queue (from `x-bulwark-queue-timeout-ms`). */
  queueTimeoutMs?: number;
  /** Told of each try that failed and was retried, so the request log keeps every attempt. */
  onRetriedFailure?: (error: GatewayError) => void;
}

/** What an attempt yields: a whole result, or a stream that has started (see Provider.stream). */
export type AttemptOutput = { type: 'result'; result: ChatResult } | { type: 'stream'; events: AsyncIterable<StreamEvent> };

export type AttemptFunction = (call: AttemptCall) => Promise<AttemptOutput>;

/**
 * Wraps one attempt (undici's interceptor shape): `(next) => attempt`. Timeout, circuit breaker, retry
 * and the deployment limiter are interceptors; they compose with `composeInterceptors`, outermost first.
 * An interceptor signals failure by throwing a GatewayError whose catalog entry says whether another
 * target may be tried.
 */
export type CallInterceptor = (next: AttemptFunction) => AttemptFunction;

export const composeInterceptors = (interceptors: readonly CallInterceptor[], attempt: AttemptFunction): AttemptFunction =>
  interceptors.reduceRight<AttemptFunction>((next, interceptor) => interceptor(next), attempt);
