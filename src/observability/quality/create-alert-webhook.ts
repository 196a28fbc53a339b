import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import type { QualityAlert } from '../../stores/request-analytics/quality-alert.ts';

/** Where delivery problems are reported (the process logger fits). */
export interface AlertWebhookLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface AlertWebhookOptions {
  /** The revealed URL. Never logged: chat webhooks carry their token in it. */
  url: string;
  /** Time allowed for one try, connection and answer included. */
  timeoutMs: number;
  logger: AlertWebhookLogger;
  /** Tries in all (default 3). */
  tries?: number;
  /** Wait before try `n + 1` after try `n` failed (default 1 s, then 2 s, doubling). */
  backoffMs?: (failedTry: number) => number;
  /** Aborts tries in flight and waits between them (the detector stopping). */
  signal?: AbortSignal;
}

/** Sends one alert; resolves true when delivered. Never rejects. */
export type AlertWebhook = (alert: QualityAlert) => Promise<boolean>;

const defaultBackoffMs = (failedTry: number): number => 1_000 * 2 ** (failedTry - 1);

/** What to log of a failure: a status or an error's code or name, never a message (it may quote the URL). */
const describeFailure = (error: unknown): string => {
  if (typeof error !== 'object' || error === null) return 'unknown error';
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  const causeCode = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  if (typeof causeCode === 'string') return causeCode;
  return typeof name === 'string' ? name : 'unknown error';
};

/**
 * POSTs an alert as JSON. A try fails on a network error, a timeout or a status other than 2xx, and
 * is made again after a backoff, `tries` times in all; then the alert is given up (logged, not thrown:
 * the alert is already stored and on the dashboard, and a webhook outage must not stop detection).
 * Waits between tries do not keep the process alive.
 */
export const createAlertWebhook = (options: AlertWebhookOptions): AlertWebhook => {
  const { url, timeoutMs, logger, tries = 3, backoffMs = defaultBackoffMs, signal } = options;
  return async (alert) => {
    const body = JSON.stringify(alert);
    for (let attempt = 1; attempt <= tries; attempt += 1) {
      let failure: string;
      try {
        const trySignal = signal === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
        const response = await request(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'bulwark-quality-alerts' },
          body,
          signal: trySignal,
        });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) return true;
        failure = `status ${response.statusCode}`;
      } catch (error) {
        failure = describeFailure(error);
      }
      const fields = { alertId: alert.id, route: alert.route, attempt, tries, failure };
      if (attempt === tries || signal?.aborted === true) {
        logger.warn(fields, 'quality alert webhook given up');
        return false;
      }
      logger.warn(fields, 'quality alert webhook failed; will try again');
      try {
        await delay(backoffMs(attempt), undefined, { ref: false, ...(signal === undefined ? {} : { signal }) });
      } catch {
        logger.warn({ ...fields, failure: 'stopped' }, 'quality alert webhook given up');
        return false;
      }
    }
    return false;
  };
};
