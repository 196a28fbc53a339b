import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Latency of LLM calls spans three orders of magnitude: a cached or tiny answer in tens of
 * milliseconds, a long generation or a reasoning model in minutes.
 */
export const llmLatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
/** A queue wait is bounded by `reliability.queue.maxTimeoutMs`. */
export const queueWaitBuckets = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Per-request quality scores take a few values (docs/quality.md): 0, 0.5 or 1, less 0.25 per guard flag. */
export const qualityScoreBuckets = [0, 0.25, 0.5, 0.75, 1];

/** 0 closed, 1 half-open, 2 open: so `max by (deployment)` shows the worst and a threshold alerts. */
export const circuitStateValue = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * Every series Bulwark exports (docs/metrics.md lists them; a test keeps the two in step). `withKey`
 * adds the `key` label to the per-request counters; the histograms never carry it (a key times a
 * dozen buckets is where cardinality explodes).
 */
export const defineMetrics = (registry: Registry, withKey: boolean) => {
  const keyed = (labels: string[]): string[] => (withKey ? [...labels, 'key'] : labels);
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'bulwark_requests_total',
      help: 'Requests finished, by endpoint, model alias asked, provider that served it, HTTP status and streaming.',
      labelNames: keyed(['endpoint', 'model', 'provider', 'status', 'stream']),
      registers,
    }),
    latency: new Histogram({
      name: 'bulwark_request_duration_seconds',
      help: 'Time from receiving a request to its last byte (a stream: its end).',
      labelNames: ['model', 'provider', 'stream'],
      buckets: llmLatencyBuckets,
      registers,
    }),
    timeToFirstToken: new Histogram({
      name: 'bulwark_time_to_first_token_seconds',
      help: 'Streams only: time from receiving the request to the first event sent.',
      labelNames: ['model', 'provider'],
      buckets: llmLatencyBuckets,
      registers,
    }),
    tokens: new Counter({
      name: 'bulwark_tokens_total',
      help: 'Tokens as the provider reported them; type is input, output, cached_input (part of input), cache_write_input (part of input) or reasoning (part of output).',
      labelNames: keyed(['model', 'provider', 'type']),
      registers,
    }),
    cost: new Counter({
      name: 'bulwark_cost_usd_total',
      help: 'Cost in US dollars at the price catalog or the configured price.',
      labelNames: keyed(['model', 'provider']),
      registers,
    }),
    errors: new Counter({
      name: 'bulwark_errors_total',
      help: 'Requests that ended in an error, by error code (docs/errors.md).',
      labelNames: ['model', 'provider', 'code'],
      registers,
    }),
    attemptFailures: new Counter({
      name: 'bulwark_attempt_failures_total',
      help: 'Failed tries at a provider (retried, fallen back from, or final), by provider and error code.',
      labelNames: ['provider', 'code'],
      registers,
    }),
    retries: new Counter({
      name: 'bulwark_retries_total',
      help: 'Tries repeated at the same deployment after a retryable failure.',
      labelNames: ['provider', 'code'],
      registers,
    }),
    fallbacks: new Counter({
      name: 'bulwark_fallbacks_total',
      help: 'Requests answered by a deployment other than the one first tried.',
      labelNames: ['model', 'provider'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'bulwark_queue_depth',
      help: 'Calls waiting for a slot at a deployment (provider/model).',
      labelNames: ['deployment'],
      registers,
    }),
    queueWait: new Histogram({
      name: 'bulwark_queue_wait_seconds',
      help: 'Time calls waited for a slot, by deployment and outcome (admitted, expired, aborted).',
      labelNames: ['deployment', 'outcome'],
      buckets: queueWaitBuckets,
      registers,
    }),
    qualityScore: new Histogram({
      name: 'bulwark_request_quality_score',
      help: 'Automatic quality score of answered requests (0 worst, 1 best; docs/quality.md), by model alias. Feedback is not included.',
      labelNames: ['model'],
      buckets: qualityScoreBuckets,
      registers,
    }),
    outputValidations: new Counter({
      name: 'bulwark_output_validations_total',
      help: 'Output validation verdicts per request: passed, reasked (valid after an invalid answer) or failed.',
      labelNames: ['model', 'verdict'],
      registers,
    }),
    circuitState: new Gauge({
      name: 'bulwark_circuit_breaker_state',
      help: 'Circuit breaker phase per deployment as this process last saw it: 0 closed, 1 half-open, 2 open.',
      labelNames: ['deployment'],
      registers,
    }),
  };
};

export type MetricInstruments = ReturnType<typeof defineMetrics>;
