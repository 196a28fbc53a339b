import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { Mode, Target, TargetName } from './targets.ts';
import { validateCompletion, validateStream } from './validate-response.ts';

/** When a burst of load stops: after a number of requests, or after a time (with a count cap as a safety net). */
export type Budget = { kind: 'count'; requests: number } | { kind: 'time'; milliseconds: number; maxRequests: number };

export interface LoadResult {
  target: TargetName;
  /** Request start to last byte, milliseconds, successful requests only. */
  latenciesMs: number[];
  /** Streams only: request start to the first chunk holding `data:`, successful requests only. */
  firstByteMs: number[];
  attempted: number;
  succeeded: number;
  wallMs: number;
  /** Failures by kind (`status 502`, `network: ECONNRESET`, `stream did not end ...`). */
  errors: Record<string, number>;
}

const requestTimeoutMs = 30_000;

/** A keep-alive pool to one target, sized for the concurrency so no request waits for a socket. */
export const createTargetPool = (target: Target, concurrency: number): Pool =>
  new Pool(target.origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: requestTimeoutMs, bodyTimeout: requestTimeoutMs });

interface Outcome {
  error?: string;
  latencyMs: number;
  firstByteMs?: number;
}

const errorKey = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return `network: ${typeof code === 'string' ? code : error instanceof Error ? error.message.slice(0, 60) : 'failed'}`;
};

const sendOne = async (pool: Pool, target: Target, mode: Mode, body: Buffer): Promise<Outcome> => {
  const started = performance.now();
  try {
    const response = await pool.request({ method: 'POST', path: target.path, headers: target.headers, body });
    if (mode === 'json') {
      const text = await response.body.text();
      const latencyMs = performance.now() - started;
      const error = validateCompletion(response.statusCode, text);
      return error === undefined ? { latencyMs } : { error, latencyMs };
    }
    let firstByteMs: number | undefined;
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      const piece = decoder.decode(chunk as Buffer, { stream: true });
      if (firstByteMs === undefined && piece.includes('data:')) firstByteMs = performance.now() - started;
      text += piece;
    }
    const latencyMs = performance.now() - started;
    const contentType = response.headers['content-type'];
    const error = validateStream(response.statusCode, typeof contentType === 'string' ? contentType : '', text + decoder.decode());
    return error === undefined ? { latencyMs, ...(firstByteMs === undefined ? {} : { firstByteMs }) } : { error, latencyMs };
  } catch (error) {
    return { error: errorKey(error), latencyMs: performance.now() - started };
  }
};

/**
 * Closed-loop load: `concurrency` callers each send a request, wait for its last byte, and send the
 * next, until the budget is spent. Every answer is validated; failures are counted, not timed.
 */
export const runLoad = async (options: { pool: Pool; target: Target; mode: Mode; body: Buffer; concurrency: number; budget: Budget }): Promise<LoadResult> => {
  const { pool, target, mode, body, budget } = options;
  const result: LoadResult = { target: target.name, latenciesMs: [], firstByteMs: [], attempted: 0, succeeded: 0, wallMs: 0, errors: {} };
  const started = performance.now();
  const deadline = budget.kind === 'time' ? started + budget.milliseconds : Number.POSITIVE_INFINITY;
  const limit = budget.kind === 'time' ? budget.maxRequests : budget.requests;
  const caller = async (): Promise<void> => {
    while (result.attempted < limit && performance.now() < deadline) {
      result.attempted += 1;
      const outcome = await sendOne(pool, target, mode, body);
      if (outcome.error !== undefined) {
        result.errors[outcome.error] = (result.errors[outcome.error] ?? 0) + 1;
        continue;
      }
      result.succeeded += 1;
      result.latenciesMs.push(outcome.latencyMs);
      if (outcome.firstByteMs !== undefined) result.firstByteMs.push(outcome.firstByteMs);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, caller));
  result.wallMs = performance.now() - started;
  return result;
};
