import { collectDefaultMetrics, Registry } from 'prom-client';
import { isErrorCode } from '../../core/errors/index.ts';
import type { EventSink } from '../../core/telemetry/event-sink.ts';
import type { RequestCompletedEvent } from '../../core/telemetry/gateway-event.ts';
import { scoreRequestQuality } from '../quality/score-request-quality.ts';
import { createBoundedLabel } from './bounded-label.ts';
import { circuitStateValue, defineMetrics } from './define-metrics.ts';

export interface MetricsOptions {
  /** Add the virtual key id as a `key` label to request, token and cost series. */
  perKeyLabels: boolean;
  /** Distinct key ids labelled before the rest become `other`. */
  maxKeyLabels: number;
  /** True for a model alias the current config defines: those are labelled as they are. */
  isConfiguredModel: (alias: string) => boolean;
  /** The configured deployments (`provider/model`), shown as closed circuits until this process sees otherwise. */
  deployments?: () => Iterable<string>;
  /** prom-client's process and Node.js metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

export interface Metrics {
  /** The Prometheus text exposition content type, for the response header. */
  readonly contentType: string;
  /** The current values, in the Prometheus text format. */
  render(): Promise<string>;
  /** Stops listening to the gateway's events. */
  close(): void;
}

/** Models served directly as `<provider>/<model>` are labelled up to this many, then `other`. */
const maxUnconfiguredModels = 100;

/**
 * Prometheus metrics fed by one gateway's events, in a registry of their own (several gateways may
 * share a process). Every listener does a bounded amount of work: a few label look-ups and counter
 * increments, no I/O. Labels stay bounded: models and providers come from the config, error codes
 * from the closed catalog, keys only when asked for and capped; end users never.
 */
export const createMetrics = (events: EventSink, options: MetricsOptions): Metrics => {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const metrics = defineMetrics(registry, options.perKeyLabels);
  const keyLabel = createBoundedLabel(options.maxKeyLabels);
  const unconfiguredModel = createBoundedLabel(maxUnconfiguredModels);
  const seenCircuits = new Set<string>();

  /** A caller can ask for any model name: only configured aliases and models that answered become labels. */
  const modelLabel = (event: RequestCompletedEvent): string => {
    if (options.isConfiguredModel(event.modelRequested)) return event.modelRequested;
    if (event.provider !== undefined && event.status < 400 && event.modelRequested !== '') return unconfiguredModel(event.modelRequested);
    return 'unknown';
  };

  const onCompleted = (event: RequestCompletedEvent): void => {
    const model = modelLabel(event);
    const provider = event.provider ?? 'none';
    const stream = event.stream ? 'true' : 'false';
    const key = options.perKeyLabels ? { key: event.keyId === undefined ? 'none' : keyLabel(event.keyId) } : {};
    metrics.requests.inc({ endpoint: event.endpoint, model, provider, status: String(event.status), stream, ...key });
    metrics.latency.observe({ model, provider, stream }, event.latencyMs / 1000);
    if (event.timeToFirstTokenMs !== undefined) metrics.timeToFirstToken.observe({ model, provider }, event.timeToFirstTokenMs / 1000);
    const { usage } = event;
    const addTokens = (type: string, count: number | undefined): void => {
      if (count !== undefined && count > 0) metrics.tokens.inc({ model, provider, type, ...key }, count);
    };
    addTokens('input', usage.inputTokens);
    addTokens('output', usage.outputTokens);
    addTokens('cached_input', usage.cachedInputTokens);
    addTokens('cache_write_input', usage.cacheWriteInputTokens);
    addTokens('reasoning', usage.reasoningTokens);
    if (event.costUsd > 0) metrics.cost.inc({ model, provider, ...key }, event.costUsd);
    if (event.errorCode !== undefined) metrics.errors.inc({ model, provider, code: codeLabel(event.errorCode) });
    for (const failure of event.attemptFailures) metrics.attemptFailures.inc({ provider: failure.provider, code: codeLabel(failure.code) });
    const quality = scoreRequestQuality(event);
    if (quality !== undefined) metrics.qualityScore.observe({ model }, quality);
    if (event.quality?.validation !== undefined) metrics.outputValidations.inc({ model, verdict: event.quality.validation });
    const first = event.attemptFailures[0];
    if (event.provider !== undefined && first !== undefined && (first.provider !== event.provider || first.model !== event.upstreamModel)) {
      metrics.fallbacks.inc({ model, provider });
    }
  };

  const unsubscribers = [
    events.subscribe('request-completed', onCompleted),
    events.subscribe('attempt-retried', (event) => metrics.retries.inc({ provider: event.provider, code: codeLabel(event.code) })),
    events.subscribe('circuit-state-changed', (event) => {
      seenCircuits.add(event.deployment);
      metrics.circuitState.set({ deployment: event.deployment }, circuitStateValue[event.to]);
    }),
    events.subscribe('call-queued', (event) => metrics.queueDepth.set({ deployment: event.deployment }, event.depth)),
    events.subscribe('call-dequeued', (event) => {
      metrics.queueDepth.set({ deployment: event.deployment }, event.depth);
      metrics.queueWait.observe({ deployment: event.deployment, outcome: event.outcome }, event.waitMs / 1000);
    }),
  ];

  return {
    contentType: registry.contentType,
    render() {
      for (const deployment of options.deployments?.() ?? []) {
        if (!seenCircuits.has(deployment)) metrics.circuitState.set({ deployment }, circuitStateValue.closed);
      }
      return registry.metrics();
    },
    close() {
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
};

/** Error codes are a closed catalog; anything else (a code relayed from elsewhere) is `other`. */
const codeLabel = (code: string): string => (isErrorCode(code) ? code : 'other');
