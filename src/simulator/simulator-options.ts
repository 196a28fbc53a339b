import type { FaultController } from './fault-controller.ts';
import type { FaultName, FaultRule } from './fault-rule.ts';
import type { LatencySettings } from './latency-model.ts';
import type { RateLimitSettings } from './rate-limit-window.ts';
import type { SimulatorStats } from './simulator-stats.ts';

export interface SimulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults answer at once (ttft 0, infinite tokens per second); `x-sim-latency` overrides per request. */
  latency?: Partial<LatencySettings>;
  /** Fault rules in force from the start (see FaultController). */
  faults?: FaultRule[];
  /** Seeds fault rates and jitter. */
  seed?: number;
  /** Limits reported in rate-limit headers, and optionally enforced. */
  rateLimits?: Partial<RateLimitSettings>;
  /** `Retry-After` of an injected rate-limit fault, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Vector size when a request names none. Default 1536. */
  embeddingDimensions?: number;
  /** Length range of prose answers, in tokens. Default 16–120. */
  proseTokens?: { min: number; max: number };
  /** Models listed by `GET /v1/models`. */
  models?: string[];
  /** Prompt-cache prefixes kept (LRU). Default 1024. */
  promptCacheSize?: number;
  /** Largest request body accepted. Default 32 MiB. */
  maxBodyBytes?: number;
  /** Clock for rate-limit windows and `created` timestamps. */
  now?: () => number;
  /** Called when a fault is injected, with the route's name: for logs, and for tests to know a hang has begun. */
  onFault?: (fault: FaultName, route: string) => void;
}

export interface RunningSimulator {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  port: number;
  faults: FaultController;
  stats(): SimulatorStats;
  /** Stops listening and drops open connections, hung requests included. */
  close(): Promise<void>;
}
