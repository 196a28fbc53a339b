import type { Config } from '../config/config-schema.ts';
import { GatewayError, toGatewayError, type AttemptFailure } from '../core/errors/index.ts';
import { composeInterceptors, type AttemptCall, type AttemptOutput, type CallInterceptor } from '../core/pipeline/call-interceptor.ts';
import type { RequestContext } from '../core/pipeline/request-context.ts';
import type { Stage } from '../core/pipeline/stage.ts';
import type { EventSink } from '../core/telemetry/event-sink.ts';
import type { AttemptEndedEvent } from '../core/telemetry/gateway-event.ts';
import { recordValidationVerdict } from '../observability/quality/record-validation-verdict.ts';
import type { ModelCall } from '../providers/provider.ts';
import { parseRateLimitHeaders } from '../providers/rate-limit-headers/parse-rate-limit-headers.ts';
import { createDeploymentLimiter, type DeploymentLimiter } from '../resilience/adaptive-limits/create-deployment-limiter.ts';
import { budgetSignal, decideBudget } from '../resilience/latency-budget.ts';
import { createCircuitBreakerInterceptor, createRetryBudget, createRetryInterceptor, createTimeoutInterceptor } from '../resilience/index.ts';
import { deploymentKey } from '../routing/balancing/deployment-key.ts';
import { createLatencyTracker, type LatencyTracker } from '../routing/balancing/latency-tracker.ts';
import { orderTargets } from '../routing/balancing/order-targets.ts';
import { trackLatency } from '../routing/balancing/track-latency.ts';
import type { Route, RouteTarget } from '../routing/model-router.ts';
import { createKeyLimitsStage } from '../stages/admission/create-key-limits-stage.ts';
import { createQueueInterceptor } from '../stages/admission/create-queue-interceptor.ts';
import { estimateRequestTokens } from '../stages/admission/estimate-request-tokens.ts';
import { mergeKeyLimits } from '../stages/admission/key-limits-schema.ts';
import { readQueueHeaders } from '../stages/admission/read-queue-headers.ts';
import { createDegradationStage } from '../stages/degradation/create-degradation-stage.ts';
import { mergeDegradationOptions } from '../stages/degradation/degradation-options.ts';
import { createOutputValidationInterceptor } from '../stages/output-validation/create-output-validation-interceptor.ts';
import { mergeOutputValidationOptions } from '../stages/output-validation/output-validation-options.ts';
import type { CircuitState } from '../stores/shared-state-contracts.ts';
import type { SharedStateStores } from '../stores/shared-state/shared-state.ts';

export interface ReliabilityDependencies {
  config: Config;
  state: SharedStateStores;
  events: EventSink;
  /** Logs what an operator should know (breaker changes, store outages); never request content. */
  log: (level: 'info' | 'warn', fields: Record<string, unknown>, message: string) => void;
}

export interface Reliability {
  /** Stages after auth: degradation (outermost, so it can answer for everything inside), per-key limits. */
  readonly stages: readonly Stage[];
  /** The route's targets in the order to try them (balancing strategy applied). */
  order(route: Route, stream: boolean): readonly RouteTarget[];
  /**
   * One attempt at the target at `targetIndex` of `targets` (the order `order` gave), through every
   * per-attempt interceptor. When another target follows, a rate-limited deployment fails over at once
   * instead of queueing.
   */
  attempt(context: RequestContext, route: Route, targets: readonly RouteTarget[], targetIndex: number): Promise<AttemptOutput>;
  circuits(): Promise<Record<string, CircuitState>>;
  deployments(): { limits: ReturnType<DeploymentLimiter['snapshot']>; latency: ReturnType<LatencyTracker['snapshot']> };
}

/**
 * Builds the reliability layer of one config generation. Per-attempt interceptors, outermost first:
 *
 *   output validation → retry → queue → circuit breaker → deployment limiter → latency tracking → timeout → provider
 *
 * Validation is outside retry so a re-ask gets its own transport retries (and retry never re-asks);
 * the queue is inside retry so a retry after the queue gave up queues again with a fresh budget; the
 * limiter is inside the breaker so a local refusal is not an upstream failure; the timeout is innermost
 * so each try has its own limits (see src/resilience/index.ts).
 */
export const createReliability = ({ config, state, events, log }: ReliabilityDependencies): Reliability => {
  const options = config.reliability;
  const tracker = createLatencyTracker();
  const retry = createRetryInterceptor(options.retry, {
    budget: createRetryBudget(options.retry.budget),
    onRetry: (call, error, delayMs) => {
      call.onRetriedFailure?.(error);
      events.publish({ type: 'attempt-retried', requestId: call.requestId, provider: call.provider, model: call.model, code: error.code, delayMs });
    },
  });
  const circuitBreaker = createCircuitBreakerInterceptor(options.circuitBreaker, {
    store: state.circuits,
    onStateChange: (change) => {
      log('warn', { ...change }, 'circuit breaker changed state');
      events.publish({ type: 'circuit-state-changed', ...change });
    },
    onStoreError: (error, deployment) => log('warn', { deployment, error: (error as Error).message }, 'circuit store unavailable'),
  });
  const limiter = options.deploymentLimits.enabled
    ? createDeploymentLimiter({ ...options.deploymentLimits, store: state.rateLimits, onStoreError: (error) => log('warn', { error: (error as Error).message }, 'rate-limit store unavailable') })
    : undefined;
  const queue = createQueueInterceptor({
    ...options.queue,
    onQueued: ({ deployment, depth }) => events.publish({ type: 'call-queued', deployment, depth }),
    onDequeued: ({ deployment, depth, waitMs, outcome }) => events.publish({ type: 'call-dequeued', deployment, depth, waitMs, outcome }),
  });
  // resilience/index.ts orders retry → breaker → timeout; the queue, limiter and tracker slot in between.
  const shared: CallInterceptor[] = [retry, queue, circuitBreaker, limiter, trackLatency(tracker), createTimeoutInterceptor(options.timeouts)].filter(
    (interceptor): interceptor is CallInterceptor => interceptor !== undefined,
  );

  const keyLimits = createKeyLimitsStage({
    store: state.rateLimits,
    concurrency: state.concurrency,
    limitsFor: (principal) => mergeKeyLimits(config.keys.defaultLimits, principal.limits),
    onStoreError: (error) => log('warn', { error: (error as Error).message }, 'rate-limit store unavailable'),
  });
  const degradation: Stage = {
    name: 'degradation',
    run(context, next) {
      const override = config.models[context.request.model]?.degradation;
      return createDegradationStage(mergeDegradationOptions(options.degradation, override)).run(context, next);
    },
  };

  return {
    stages: [degradation, keyLimits],
    order: (route, stream) =>
      orderTargets(route.targets, route.balancing.strategy, tracker, Math.random, {
        explorationProbability: route.balancing.explorationProbability,
        metric: stream ? 'time-to-first-token' : 'latency',
      }),
    attempt(context, route, targets, targetIndex) {
      const target = targets[targetIndex];
      if (target === undefined) throw new RangeError(`no target at ${targetIndex}`);
      const hasFallback = targetIndex < targets.length - 1;
      const validation = mergeOutputValidationOptions(options.outputValidation, config.models[route.alias]?.outputValidation);
      // Every verdict also goes to the request's quality signals (docs/quality.md).
      const validate = createOutputValidationInterceptor({
        request: context.request,
        validation,
        onInvalidResult: (call, failure) => {
          log('warn', { requestId: call.requestId, deployment: deploymentKey(call.provider, call.model), reason: failure.reason }, 'invalid output');
          recordValidationVerdict(context, 'invalid');
        },
        onStreamValidationFailure: (call, failure) => {
          log('warn', { requestId: call.requestId, deployment: deploymentKey(call.provider, call.model), reason: failure.reason }, 'invalid streamed output');
          recordValidationVerdict(context, 'stream-invalid');
        },
        onValidResult: () => recordValidationVerdict(context, 'passed'),
      });
      const key = deploymentKey(target.provider.name, target.model);
      const innermost = (call: AttemptCall): Promise<AttemptOutput> => {
        const providerCall: ModelCall = {
          request: context.request,
          model: target.model,
          signal: call.signal,
          requestId: call.requestId,
          ...(limiter === undefined ? {} : { onResponse: (_status: number, headers: Headers) => limiter.observeHeaders(key, parseRateLimitHeaders(target.provider.type, headers)) }),
        };
        const send = (): Promise<AttemptOutput> =>
          call.stream
            ? target.provider.stream(providerCall).then((stream) => ({ type: 'stream', events: stream }))
            : target.provider.complete(providerCall).then((result) => ({ type: 'result', result }));
        // Only tracing listens to attempts: without it, no event is built.
        return events.hasSubscribers('attempt-started') ? observeAttempt(events, call, target, providerCall, send) : send();
      };
      const hints = readQueueHeaders(context.headers, {
        priority: context.principal?.priority ?? config.keys.defaultPriority,
        timeoutMs: options.queue.defaultTimeoutMs,
        maxTimeoutMs: options.queue.maxTimeoutMs,
      });
      const call: AttemptCall = {
        requestId: context.requestId,
        provider: target.provider.name,
        model: target.model,
        stream: context.request.stream,
        signal: context.signal,
        priority: hints.priority,
        targetIndex,
        estimatedTokens: estimateRequestTokens(context.request, 1024),
        // Waiting for a rate-limited deployment only pays when there is nowhere else to go.
        queueTimeoutMs: hasFallback ? 0 : hints.queueTimeoutMs,
        onRetriedFailure: (error) => recordRetriedFailure(context, events, target, error),
      };
      if (context.principal !== undefined) call.keyId = context.principal.keyId;
      const run = composeInterceptors([validate, ...shared], innermost);
      const budgetMs = readLatencyBudget(context.headers) ?? config.models[route.alias]?.latencyBudgetMs;
      if (budgetMs === undefined) return run(call);
      const metric = call.stream ? 'timeToFirstTokenMs' : 'latencyMs';
      const next = targets[targetIndex + 1];
      const decision = decideBudget({
        remainingMs: budgetMs - (performance.now() - context.startedAtMonotonic),
        expectedMs: tracker.get(key)[metric],
        nextExpectedMs: next === undefined ? undefined : tracker.get(deploymentKey(next.provider.name, next.model))[metric],
        hasFallback,
      });
      if (decision.type === 'skip') return Promise.reject(new GatewayError('upstream_timeout', `Skipped ${key} to meet the latency budget: ${decision.reason}.`));
      // The budget covers the answer, or a stream's first event: the stream itself may then take its time.
      const budget = budgetSignal(context.signal, decision.allowedMs);
      return run({ ...call, signal: budget.signal }).finally(budget.clear);
    },
    circuits: () => state.circuits.list(options.circuitBreaker, Date.now()),
    deployments: () => ({ limits: limiter?.snapshot() ?? {}, latency: tracker.snapshot() }),
  };
};

const latencyBudgetHeader = 'x-bulwark-latency-budget-ms';

/** The caller's latency budget: a positive whole number of milliseconds, else none. */
const readLatencyBudget = (headers: RequestContext['headers']): number | undefined => {
  const value = headers[latencyBudgetHeader];
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^\d{1,7}$/.test(text)) return undefined;
  const ms = Number(text);
  return ms > 0 ? ms : undefined;
};

/** A try that failed and was retried is an attempt of its own in the request log. */
const recordRetriedFailure = (context: RequestContext, events: EventSink, target: RouteTarget, error: GatewayError): void => {
  const failure: AttemptFailure = { provider: target.provider.name, model: target.model, code: error.code, message: error.message };
  if (error.upstreamStatus !== undefined) failure.upstreamStatus = error.upstreamStatus;
  context.attempts += 1;
  context.attemptFailures.push(failure);
  events.publish({ type: 'attempt-failed', requestId: context.requestId, failure });
};

let attemptSequence = 0;

/**
 * Publishes a provider call's start and end. Listeners may add headers (`traceparent`) to the start
 * event; they go upstream with the call.
 */
const observeAttempt = (events: EventSink, call: AttemptCall, target: RouteTarget, providerCall: ModelCall, send: () => Promise<AttemptOutput>): Promise<AttemptOutput> => {
  attemptSequence += 1;
  const attemptId = attemptSequence;
  const headers: Record<string, string> = {};
  events.publish({ type: 'attempt-started', requestId: call.requestId, attemptId, provider: target.provider.name, providerType: target.provider.type, model: target.model, stream: call.stream, headers });
  if (Object.keys(headers).length > 0) providerCall.headers = { ...providerCall.headers, ...headers };
  const ended = (fields: Omit<AttemptEndedEvent, 'type' | 'requestId' | 'attemptId'>): void => events.publish({ type: 'attempt-ended', requestId: call.requestId, attemptId, ...fields });
  return send().then(
    (output) => {
      if (output.type === 'stream') ended({ outcome: 'streaming' });
      else {
        const { result } = output;
        ended({ outcome: 'answered', responseId: result.id, responseModel: result.model, finishReason: result.finishReason, usage: result.usage });
      }
      return output;
    },
    (thrown: unknown) => {
      const error = toGatewayError(thrown);
      ended({ outcome: 'failed', errorCode: error.code, ...(error.upstreamStatus === undefined ? {} : { upstreamStatus: error.upstreamStatus }) });
      throw thrown;
    },
  );
};
