import { performance } from 'node:perf_hooks';
import { createTargetPool, runLoad } from './load.ts';
import { treeRssBytes } from './proc-usage.ts';
import { linearSlope, median, quantile } from './stats.ts';
import { requestBody, type Mode, type Target } from './targets.ts';

export interface RssSample {
  /** Seconds since the measured load began. */
  atSeconds: number;
  bytes: number;
}

export interface SoakResult {
  durationMs: number;
  sampleIntervalSeconds: number;
  attempted: number;
  succeeded: number;
  throughput: number;
  /** Medians over the 10-second windows (keeping every latency of a long soak would grow this process). */
  p50: number;
  p99: number;
  errors: Record<string, number>;
  rss: {
    start: number;
    end: number;
    max: number;
    /** Least-squares slope over all samples. */
    slopeMiBPerMinute: number;
    /** Over the second half only, once caches, JIT and pools have settled: the number that shows a leak. */
    secondHalfSlopeMiBPerMinute: number;
    samples: RssSample[];
  };
}

const sampleIntervalMs = 10_000;

const slopeMiBPerMinute = (samples: readonly RssSample[]): number =>
  linearSlope(samples.map((sample) => ({ x: sample.atSeconds / 60, y: sample.bytes / 2 ** 20 })));

/**
 * Steady closed-loop load through Bulwark for `minutes`, in 10-second windows that alternate
 * non-streamed and streamed requests; Bulwark's resident memory (all its processes) is read after
 * each window. Bounded by time; each window also by the shared request cap.
 */
export const runSoak = async (options: { target: Target; pid: number; minutes: number; concurrency: number; warmupRequests: number; onSample?: (sample: RssSample) => void }): Promise<SoakResult> => {
  const modes: Mode[] = ['json', 'stream'];
  const bodies = { json: Buffer.from(requestBody('json')), stream: Buffer.from(requestBody('stream')) };
  const pool = createTargetPool(options.target, options.concurrency);
  const windows: { p50: number; p99: number }[] = [];
  const errors: Record<string, number> = {};
  let attempted = 0;
  let succeeded = 0;
  const samples: RssSample[] = [];
  const durationMs = options.minutes * 60_000;
  try {
    for (const mode of modes) await runLoad({ pool, target: options.target, mode, body: bodies[mode], concurrency: options.concurrency, budget: { kind: 'count', requests: options.warmupRequests } });
    const started = performance.now();
    const sample = (): void => {
      const next = { atSeconds: (performance.now() - started) / 1000, bytes: treeRssBytes(options.pid) };
      samples.push(next);
      options.onSample?.(next);
    };
    sample();
    for (let window = 0; performance.now() - started < durationMs; window++) {
      const mode = modes[window % modes.length] ?? 'json';
      const milliseconds = Math.min(sampleIntervalMs, durationMs - (performance.now() - started));
      const load = await runLoad({ pool, target: options.target, mode, body: bodies[mode], concurrency: options.concurrency, budget: { kind: 'time', milliseconds, maxRequests: 10_000_000 } });
      attempted += load.attempted;
      succeeded += load.succeeded;
      windows.push({ p50: quantile(load.latenciesMs, 0.5), p99: quantile(load.latenciesMs, 0.99) });
      for (const [kind, count] of Object.entries(load.errors)) errors[kind] = (errors[kind] ?? 0) + count;
      sample();
    }
  } finally {
    await pool.close();
  }
  const bytes = samples.map((sample) => sample.bytes);
  const elapsedMs = (samples.at(-1)?.atSeconds ?? 0) * 1000;
  return {
    durationMs: elapsedMs,
    sampleIntervalSeconds: sampleIntervalMs / 1000,
    attempted,
    succeeded,
    throughput: elapsedMs === 0 ? 0 : (succeeded * 1000) / elapsedMs,
    p50: median(windows.map((window) => window.p50).filter(Number.isFinite)),
    p99: median(windows.map((window) => window.p99).filter(Number.isFinite)),
    errors,
    rss: {
      start: bytes[0] ?? 0,
      end: bytes.at(-1) ?? 0,
      max: bytes.length === 0 ? 0 : Math.max(...bytes),
      slopeMiBPerMinute: slopeMiBPerMinute(samples),
      secondHalfSlopeMiBPerMinute: slopeMiBPerMinute(samples.slice(Math.floor(samples.length / 2))),
      samples,
    },
  };
};
