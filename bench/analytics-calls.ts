import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { TimedCall } from './analytics-latency.ts';
import type { AnalyticsQueryShape } from './analytics-query-mix.ts';

/** A wide percentile query waits behind the others on the single analytics thread: allow minutes, not seconds. */
const adminCallTimeoutMs = 300_000;

export const createAdminPool = (origin: string, connections: number): Pool =>
  new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: adminCallTimeoutMs, bodyTimeout: adminCallTimeoutMs });

export interface AdminCallsResult {
  timed: TimedCall[];
  /** Failures by kind (`status 500`, `network: ECONNRESET`, `no data array`); failed calls are not timed. */
  failures: Record<string, number>;
  wallMs: number;
}

/** Undefined when the body is an analytics answer (`{ object, data: [...] }`), else what is wrong with it. */
export const checkAdminAnswer = (statusCode: number, text: string): string | undefined => {
  if (statusCode !== 200) return `status ${statusCode}`;
  try {
    const body: unknown = JSON.parse(text);
    const valid = typeof body === 'object' && body !== null && 'object' in body && 'data' in body && Array.isArray(body.data);
    return valid ? undefined : 'no data array';
  } catch {
    return 'not JSON';
  }
};

const networkError = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return `network: ${typeof code === 'string' ? code : error instanceof Error ? error.message.slice(0, 60) : 'failed'}`;
};

/**
 * Closed-loop admin calls: `concurrency` callers each take the next shape from `next()`, send it, read
 * the answer to its last byte, and take another, until `next()` returns undefined.
 */
export const runAdminCalls = async (options: {
  pool: Pool;
  adminToken: string;
  concurrency: number;
  next: () => AnalyticsQueryShape | undefined;
}): Promise<AdminCallsResult> => {
  const result: AdminCallsResult = { timed: [], failures: {}, wallMs: 0 };
  const headers = { authorization: `Bearer ${options.adminToken}` };
  const began = performance.now();
  const caller = async (): Promise<void> => {
    for (let shape = options.next(); shape !== undefined; shape = options.next()) {
      const started = performance.now();
      let failure: string | undefined;
      try {
        const response = await options.pool.request({ method: 'GET', path: shape.path, headers });
        failure = checkAdminAnswer(response.statusCode, await response.body.text());
      } catch (error) {
        failure = networkError(error);
      }
      if (failure === undefined) result.timed.push({ shape: shape.name, ms: performance.now() - started });
      else result.failures[`${shape.name}: ${failure}`] = (result.failures[`${shape.name}: ${failure}`] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, caller));
  result.wallMs = performance.now() - began;
  return result;
};

/** `next` for a fixed list of calls, taken in order. */
export const fromList = (shapes: readonly AnalyticsQueryShape[]): (() => AnalyticsQueryShape | undefined) => {
  let index = 0;
  return () => shapes[index++];
};

/** `next` that cycles through `shapes` until `stopped()` says so; a call already sent still completes. */
export const cycleUntil = (shapes: readonly AnalyticsQueryShape[], stopped: () => boolean): (() => AnalyticsQueryShape | undefined) => {
  let index = 0;
  return () => (stopped() || shapes.length === 0 ? undefined : shapes[index++ % shapes.length]);
};
