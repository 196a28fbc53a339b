import type { DatabaseSync } from 'node:sqlite';
import { qualityDrop, type QualityAlert } from '../../stores/request-analytics/quality-alert.ts';
import { QualityAlertStore } from '../../stores/request-analytics/quality-alert-store.ts';
import { QualityAnalytics, type RouteQualityComparison } from '../../stores/request-analytics/quality-analytics.ts';
import { createAlertWebhook } from './create-alert-webhook.ts';
import type { QualityRegressionSettings } from './quality-schema.ts';

/** Runs `run` every `ms`; the returned function stops it. The default timer does not keep the process alive. */
export type IntervalScheduler = (ms: number, run: () => void) => () => void;

const unrefInterval: IntervalScheduler = (ms, run) => {
  const timer = setInterval(run, ms);
  timer.unref();
  return () => clearInterval(timer);
};

/** Where the detector reports (the process logger fits). Fields never hold request content. */
export interface QualityDetectorLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface QualityRegressionDetectorOptions {
  /** A writable connection on the migrated database (migration 7), shared by every process that detects. */
  database: DatabaseSync;
  settings: Omit<QualityRegressionSettings, 'enabled'>;
  logger: QualityDetectorLogger;
  /** Epoch ms (default `Date.now`). */
  now?: () => number;
  scheduler?: IntervalScheduler;
  /** Announces a raised alert (default: POST to `settings.webhookUrl` when set). Must not reject. */
  notify?: (alert: QualityAlert) => Promise<unknown>;
}

/** What one check changed: the alerts this process raised and resolved. */
export interface QualityCheckOutcome {
  raised: QualityAlert[];
  resolved: QualityAlert[];
}

export interface QualityRegressionDetector {
  /** Checks now, then every `intervalMinutes`; a failed check is logged and the next one runs as planned. */
  start(): void;
  /** Stops the timer and abandons webhook deliveries in flight, for good: `start` does nothing after it. */
  stop(): void;
  /** One check; resolves once the alerts it raised or resolved are announced (delivered or given up). */
  check(): Promise<QualityCheckOutcome>;
}

/** Floating-point slack, so that a drop of exactly the threshold (1.0 → 0.9 is 0.0999…) counts. */
const tolerance = 1e-9;

/**
 * Watches each route's quality score for regressions (docs/quality.md). A route is judged when both
 * windows have `minSamples` scored requests: a drop of `dropThreshold` or more raises an alert, a drop
 * under half of it resolves the open one (the gap between keeps a route hovering at the threshold from
 * raising an alert every check). A route that cannot be judged keeps its alert as it is.
 *
 * Several gateway processes may detect on one database: the alert table admits one open alert per
 * route, so exactly one process's insert succeeds, and only that process logs and sends the webhook.
 */
export const createQualityRegressionDetector = (options: QualityRegressionDetectorOptions): QualityRegressionDetector => {
  const { database, settings, logger, now = Date.now, scheduler = unrefInterval } = options;
  const analytics = new QualityAnalytics(database);
  const alerts = new QualityAlertStore(database);
  const stopping = new AbortController();
  const webhookUrl = settings.webhookUrl?.reveal();
  const notify =
    options.notify ??
    (webhookUrl === undefined
      ? async () => {}
      : createAlertWebhook({ url: webhookUrl, timeoutMs: settings.webhookTimeoutMs, logger, signal: stopping.signal }));

  const judge = (comparison: RouteQualityComparison, at: number): { raised?: QualityAlert; resolved?: QualityAlert } => {
    const { route, previousScore, currentScore, previousSamples, currentSamples } = comparison;
    if (previousScore === null || currentScore === null || previousScore === 0) return {};
    if (previousSamples < settings.minSamples || currentSamples < settings.minSamples) return {};
    const drop = qualityDrop(previousScore, currentScore);
    if (drop >= settings.dropThreshold - tolerance) {
      const raised = alerts.raise({ route, previousScore, currentScore, previousSamples, currentSamples }, at);
      return raised === undefined ? {} : { raised };
    }
    if (drop < settings.dropThreshold / 2) {
      const resolved = alerts.resolve(route, at);
      return resolved === undefined ? {} : { resolved };
    }
    return {};
  };

  const check = async (): Promise<QualityCheckOutcome> => {
    const at = now();
    const outcome: QualityCheckOutcome = { raised: [], resolved: [] };
    for (const comparison of analytics.compareRouteQuality(at, settings.windowDays)) {
      const { raised, resolved } = judge(comparison, at);
      if (raised !== undefined) {
        outcome.raised.push(raised);
        const { id, route, previousScore, currentScore, drop, previousSamples, currentSamples } = raised;
        logger.warn({ alertId: id, route, previousScore, currentScore, drop, previousSamples, currentSamples }, 'quality regression');
      }
      if (resolved !== undefined) {
        outcome.resolved.push(resolved);
        logger.info({ alertId: resolved.id, route: resolved.route, currentScore: comparison.currentScore }, 'quality regression resolved');
      }
    }
    // Resolutions go out too, so a channel that heard of the regression hears that it ended; receivers
    // tell them apart by `resolvedAt`.
    await Promise.all([...outcome.raised, ...outcome.resolved].map((alert) => notify(alert).catch(() => {})));
    return outcome;
  };

  let cancel: (() => void) | undefined;
  let running: Promise<unknown> | undefined;
  // A check still announcing its alerts (a slow webhook) is not overlapped by the next.
  const tick = (): void => {
    if (running !== undefined) return;
    running = check()
      .catch((error: unknown) => logger.error({ err: error }, 'quality check failed'))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    start() {
      if (cancel !== undefined || stopping.signal.aborted) return;
      cancel = scheduler(settings.intervalMinutes * 60_000, tick);
      tick();
    },
    stop() {
      cancel?.();
      cancel = undefined;
      stopping.abort();
    },
    check,
  };
};
