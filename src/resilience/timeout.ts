import { z } from 'zod';
import { GatewayError } from '../core/errors/index.ts';
import type { AttemptCall, AttemptOutput, CallInterceptor } from '../core/pipeline/call-interceptor.ts';
import { systemClock, type Clock } from './clock.ts';
import { guardStreamTimeouts } from './guard-stream-timeouts.ts';
import { linkAbortSignal } from './link-abort-signal.ts';
import { raceTimer } from './race-timer.ts';

export const timeoutOptionsSchema = z.strictObject({
  /**
   * Streams only: `stream()` must resolve (its first event has arrived) within this. A non-streamed
   * answer has no first token to wait for, only the whole answer, so `totalMs` bounds it.
   */
  firstTokenMs: z.number().int().positive().default(60_000),
  /** Streams only: longest gap between two events from the provider. */
  idleMs: z.number().int().positive().default(30_000),
  /** The whole attempt: a non-streamed answer, or a stream up to its last event. */
  totalMs: z.number().int().positive().default(600_000),
});

export type TimeoutOptions = z.infer<typeof timeoutOptionsSchema>;

export interface TimeoutDependencies {
  clock?: Clock;
}

/** A stream that resolved after its attempt had already timed out: nobody will read it, so close it. */
const discardLateOutput = (pending: Promise<AttemptOutput>): void => {
  pending.then(
    (output) => {
      if (output.type === 'stream') output.events[Symbol.asyncIterator]().return?.().catch(() => undefined);
    },
    () => undefined,
  );
};

/**
 * Time limits of one attempt (connect timeouts belong to the transport). Each attempt gets its own
 * abort signal, linked to the caller's, and passes it down: on expiry the upstream request is
 * cancelled with the timeout as the reason. Before the first event a timeout is thrown as
 * `upstream_timeout` (retryable, falls back); once a stream has started it ends the stream with an
 * `upstream_timeout` error event instead.
 */
export const createTimeoutInterceptor = (options: TimeoutOptions, dependencies: TimeoutDependencies = {}): CallInterceptor => {
  const clock = dependencies.clock ?? systemClock;

  return (next) =>
    async function timedAttempt(call: AttemptCall): Promise<AttemptOutput> {
      const deployment = `${call.provider}/${call.model}`;
      const deadline = clock.now() + options.totalMs;
      const waitsForFirstToken = call.stream && options.firstTokenMs < options.totalMs;
      const startMs = waitsForFirstToken ? options.firstTokenMs : options.totalMs;
      const link = linkAbortSignal(call.signal);
      const pending = next({ ...call, signal: link.signal });
      let race;
      try {
        race = await raceTimer(pending, startMs, clock);
      } catch (error) {
        link.release();
        throw error;
      }
      if (race.timedOut) {
        const error = new GatewayError(
          'upstream_timeout',
          waitsForFirstToken ? `No first token from ${deployment} within ${startMs} ms` : `No answer from ${deployment} within ${startMs} ms`,
        );
        link.abort(error);
        link.release();
        discardLateOutput(pending);
        throw error;
      }
      const output = race.value;
      if (output.type === 'result') {
        link.release();
        return output;
      }
      const events = guardStreamTimeouts(output.events, {
        idleMs: options.idleMs,
        deadline,
        clock,
        deployment,
        abort: (reason) => link.abort(reason),
        release: () => link.release(),
      });
      return { type: 'stream', events };
    };
};
