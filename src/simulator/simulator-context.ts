import type { FaultController } from './fault-controller.ts';
import type { FaultName } from './fault-rule.ts';
import type { LatencySettings } from './latency-model.ts';
import type { PromptCache } from './prompt-cache.ts';
import type { RateLimitWindows } from './rate-limit-window.ts';
import type { StatsRecorder } from './simulator-stats.ts';

/** Everything a request handler needs, built once when the simulator starts. */
export interface SimulatorContext {
  latency: LatencySettings;
  faults: FaultController;
  promptCache: PromptCache;
  rateLimits: RateLimitWindows;
  stats: StatsRecorder;
  retryAfterSeconds: number;
  embeddingDimensions: number;
  proseTokens: { min: number; max: number };
  models: readonly string[];
  maxBodyBytes: number;
  now: () => number;
  /** Counts an injected fault and tells the `onFault` listener. */
  recordFault(fault: FaultName, route: string): void;
  /** A process-unique number for ids. */
  nextSequence(): number;
}
