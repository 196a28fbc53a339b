import { quantile } from './stats.ts';

/** One answered admin call: which shape, and request start to last byte in milliseconds. */
export interface TimedCall {
  shape: string;
  ms: number;
}

export interface LatencySummary {
  calls: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentiles as the other benchmarks compute them (bench/stats.ts, linear between nearest ranks); NaN for no values. */
export const summarizeLatencies = (values: readonly number[]): LatencySummary => ({
  calls: values.length,
  p50: quantile(values, 0.5),
  p95: quantile(values, 0.95),
  p99: quantile(values, 0.99),
  max: values.length === 0 ? Number.NaN : Math.max(...values),
});

/** A summary per shape, in the order of `shapes` (a shape with no answered call still gets a row, of NaNs). */
export const latenciesByShape = (calls: readonly TimedCall[], shapes: readonly string[]): Array<{ shape: string } & LatencySummary> =>
  shapes.map((shape) => ({ shape, ...summarizeLatencies(calls.filter((call) => call.shape === shape).map((call) => call.ms)) }));

/**
 * The shape whose calls add most to the time spent: the one to make faster first. Undefined for no calls.
 */
export const dominantShape = (calls: readonly TimedCall[]): { shape: string; share: number } | undefined => {
  const totals = new Map<string, number>();
  for (const call of calls) totals.set(call.shape, (totals.get(call.shape) ?? 0) + call.ms);
  const all = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
  const top = [...totals].toSorted(([, left], [, right]) => right - left)[0];
  return top === undefined || all === 0 ? undefined : { shape: top[0], share: top[1] / all };
};
