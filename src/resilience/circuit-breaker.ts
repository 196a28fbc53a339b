import { z } from 'zod';
import { GatewayError, isGatewayError } from '../core/errors/index.ts';
import type { AttemptCall, AttemptOutput, CallInterceptor } from '../core/pipeline/call-interceptor.ts';
import { classifyCircuitOutcome, type CircuitOutcome } from './classify-circuit-outcome.ts';
import { systemClock, type Clock } from './clock.ts';
import { observeStreamOutcome } from './observe-stream-outcome.ts';

export const circuitBreakerOptionsSchema = z.strictObject({
  /** Open after this many failures in a row... */
  consecutiveFailures: z.number().int().positive().default(5),
  /** ...or when this share of the outcomes in the window failed (0..1], once there are `minimumRequests`. */
  failureRateThreshold: z.number().gt(0).max(1).default(0.5),
  minimumRequests: z.number().int().positive().default(20),
  windowMs: z.number().int().positive().default(60_000),
  /** How long an open circuit fails fast before letting probes through. */
  openMs: z.number().int().positive().default(30_000),
  /** Probes let through at once while half-open. */
  halfOpenProbes: z.number().int().positive().default(1),
  /** Count upstream 429s as failures (see classify-circuit-outcome.ts for why they are not by default). */
  countRateLimits: z.boolean().default(false),
});

export type CircuitBreakerOptions = z.infer<typeof circuitBreakerOptionsSchema>;

/** The policy handed to the store: the same fields as `CircuitPolicy` in src/stores/shared-state-contracts.ts. */
export type CircuitBreakerPolicy = Omit<CircuitBreakerOptions, 'countRateLimits'>;

export type CircuitBreakerPhase = 'closed' | 'open' | 'half-open';

/**
 * The part of `CircuitStore` (src/stores/shared-state-contracts.ts) the breaker uses, restated here
 * because resilience/ may not import stores/ (test/architecture.test.ts). Every CircuitStore is one;
 * circuit-breaker.test.ts checks that it still is.
 */
export interface CircuitBreakerStore {
  admit(deployment: string, policy: CircuitBreakerPolicy, now: number): Promise<boolean>;
  record(deployment: string, outcome: 'success' | 'failure', policy: CircuitBreakerPolicy, now: number): Promise<{ phase: CircuitBreakerPhase; openedAt?: number }>;
}

export interface CircuitStateChange {
  deployment: string;
  from: CircuitBreakerPhase;
  to: CircuitBreakerPhase;
}

export interface CircuitBreakerDependencies {
  store: CircuitBreakerStore;
  clock?: Clock;
  /** A phase change seen by this process's own records (another process may have seen it first). */
  onStateChange?: (change: CircuitStateChange) => void;
  /** The store failed (Redis unreachable...): the breaker then lets the call through rather than refuse it. */
  onStoreError?: (error: unknown, deployment: string) => void;
}

/**
 * A circuit breaker per deployment (`provider/model`), its state in a shared store so that a circuit
 * opened by one process is open for all. A refused call throws `circuit_open`, which falls back to the
 * next target without touching the deployment. Outcomes are classified by classifyCircuitOutcome;
 * a stream's outcome is known only when it ends, so the breaker follows it to its end.
 *
 * If the store is unreachable the breaker fails open: it admits, so a store outage never becomes a
 * gateway outage; the upstream's own errors still fall back.
 */
export const createCircuitBreakerInterceptor = (options: CircuitBreakerOptions, dependencies: CircuitBreakerDependencies): CallInterceptor => {
  const { store, onStateChange, onStoreError } = dependencies;
  const clock = dependencies.clock ?? systemClock;
  const { countRateLimits, ...policy } = options;
  /** The last state each deployment's records returned: for onStateChange, and Retry-After when refused. */
  const lastSeen = new Map<string, { phase: CircuitBreakerPhase; openedAt?: number }>();

  const admit = async (deployment: string): Promise<boolean> => {
    try {
      return await store.admit(deployment, policy, clock.now());
    } catch (error) {
      onStoreError?.(error, deployment);
      return true;
    }
  };

  const record = async (deployment: string, outcome: CircuitOutcome): Promise<void> => {
    if (outcome === 'ignored') return;
    try {
      const state = await store.record(deployment, outcome, policy, clock.now());
      const from = lastSeen.get(deployment)?.phase ?? 'closed';
      lastSeen.set(deployment, state.openedAt === undefined ? { phase: state.phase } : { phase: state.phase, openedAt: state.openedAt });
      if (state.phase !== from) onStateChange?.({ deployment, from, to: state.phase });
    } catch (error) {
      onStoreError?.(error, deployment);
    }
  };

  const refusal = (deployment: string): GatewayError => {
    const openedAt = lastSeen.get(deployment)?.openedAt;
    const remainingMs = openedAt === undefined ? 0 : openedAt + policy.openMs - clock.now();
    const message = `The circuit for ${deployment} is open after repeated failures: not calling it`;
    return new GatewayError('circuit_open', message, remainingMs > 0 ? { retryAfterSeconds: Math.ceil(remainingMs / 1000) } : {});
  };

  return (next) =>
    async function guardedAttempt(call: AttemptCall): Promise<AttemptOutput> {
      const deployment = `${call.provider}/${call.model}`;
      if (!(await admit(deployment))) throw refusal(deployment);
      let output: AttemptOutput;
      try {
        output = await next(call);
      } catch (error) {
        // Awaited: a retry or the next target should see the circuit as this failure left it.
        if (isGatewayError(error)) await record(deployment, classifyCircuitOutcome(error.code, countRateLimits));
        throw error;
      }
      if (output.type === 'result') {
        // Not awaited: a success must not wait on the store.
        void record(deployment, 'success');
        return output;
      }
      const events = observeStreamOutcome(output.events, countRateLimits, (outcome) => void record(deployment, outcome));
      return { type: 'stream', events };
    };
};
