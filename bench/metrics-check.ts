import type { PhaseResult, PrimingResult } from './phase.ts';
import type { TargetName } from './targets.ts';

/**
 * Whether the metrics-on Bulwark really recorded metrics, and the metrics-off one really had none:
 * without this, "what metrics cost" could be the difference between two identical processes.
 */
export type MetricsCheck =
  | {
      outcome: 'passed' | 'failed';
      /** Requests the benchmark sent to the metrics-on Bulwark, priming and warm-up included. */
      sent: number;
      /** The sum of every `bulwark_requests_total` series it served; undefined if it could not be read. */
      counted: number | undefined;
      /** The metrics-off Bulwark's answer to `GET /metrics` (404 expected); undefined if not asked. */
      metricsOffStatus: number | undefined;
      /** Why the scrape could not be read, when it could not. */
      error?: string;
    }
  | { outcome: 'skipped'; reason: string };

export const requestCounterName = 'bulwark_requests_total';

/** Index just past the `}` that closes a sample's label set, or -1; `}` inside a quoted value does not count. */
const labelSetEnd = (text: string): number => {
  let quoted = false;
  for (let index = 1; index < text.length; index++) {
    const character = text[index];
    if (quoted && character === '\\') index += 1;
    else if (character === '"') quoted = !quoted;
    else if (!quoted && character === '}') return index + 1;
  }
  return -1;
};

/**
 * The sum of every sample of `name` in a Prometheus text exposition (all label sets), or undefined if
 * it has none. Comments and other metrics, including ones whose names start with `name`, are skipped;
 * a sample of `name` without a numeric value throws, naming the line.
 */
export const sumSamples = (exposition: string, name: string): number | undefined => {
  let total: number | undefined;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(name)) continue;
    let rest = line.slice(name.length);
    if (rest.startsWith('{')) {
      const end = labelSetEnd(rest);
      if (end === -1) throw new Error(`unterminated label set in "${line}"`);
      rest = rest.slice(end);
    } else if (!/^\s/.test(rest)) {
      continue;
    }
    const valueText = rest.trim().split(/\s+/)[0] ?? '';
    const value = valueText === '' ? Number.NaN : Number(valueText);
    if (!Number.isFinite(value)) throw new Error(`no numeric value in "${line}"`);
    total = (total ?? 0) + value;
  }
  return total;
};

/** Every request sent to `target`: priming, then each phase's warm-up and rounds. */
export const requestsSentTo = (target: TargetName, priming: PrimingResult, phases: readonly PhaseResult[]): number =>
  (priming.sent[target] ?? 0) + phases.flatMap((phase) => phase.targets).filter((result) => result.target === target).reduce((sum, result) => sum + result.attempted, 0);

const scrapeTimeoutMs = 10_000;

/** One `GET /metrics`, from loopback (Bulwark answers loopback callers without a token). */
const scrape = async (url: string): Promise<{ status: number; text: string }> => {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(scrapeTimeoutMs) });
  return { status: response.status, text: await response.text() };
};

/**
 * After the run: one scrape of the metrics-on Bulwark, whose request counter must equal the requests
 * sent to it, and one of the metrics-off Bulwark, which must have no `/metrics` route (404). With
 * several workers each keeps its own registry and a scrape reaches only one (docs/metrics.md), so the
 * count cannot be checked and the check is skipped.
 */
export const checkRecordedMetrics = async (options: { metricsOnUrl: string; metricsOffUrl: string | undefined; sent: number; workers: number }): Promise<MetricsCheck> => {
  if (options.workers > 1) {
    return { outcome: 'skipped', reason: `${options.workers} workers: each counts its own requests and a scrape reaches only one of them` };
  }
  let counted: number | undefined;
  let metricsOffStatus: number | undefined;
  let error: string | undefined;
  try {
    const on = await scrape(options.metricsOnUrl);
    if (on.status !== 200) throw new Error(`the metrics-on Bulwark answered /metrics with ${on.status}`);
    counted = sumSamples(on.text, requestCounterName);
    if (options.metricsOffUrl !== undefined) metricsOffStatus = (await scrape(options.metricsOffUrl)).status;
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const passed = error === undefined && counted === options.sent && (options.metricsOffUrl === undefined || metricsOffStatus === 404);
  return { outcome: passed ? 'passed' : 'failed', sent: options.sent, counted, metricsOffStatus, ...(error === undefined ? {} : { error }) };
};
