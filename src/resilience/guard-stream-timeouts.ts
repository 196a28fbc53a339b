import { GatewayError } from '../core/errors/index.ts';
import type { StreamEvent } from '../core/model/index.ts';
import type { Clock } from './clock.ts';
import { raceTimer, type TimerRace } from './race-timer.ts';

export interface StreamTimeoutOptions {
  /** Longest wait for the source's next event. */
  idleMs: number;
  /** Epoch ms by which the whole stream must be over. */
  deadline: number;
  clock: Clock;
  /** Names the deployment in the error message. */
  deployment: string;
  /** Cancels the attempt's upstream work, with the timeout as the reason. */
  abort(reason: GatewayError): void;
  /** Called once the stream is over, however it ended. */
  release(): void;
}

/**
 * Passes a started stream through, ending it with an `upstream_timeout` error event when the source
 * goes quiet for `idleMs` or runs past the deadline. Only the wait for the source counts as idle: a
 * slow reader is backpressure, not a stalled upstream. On expiry the upstream is aborted first (a
 * pending `next()` of a stalled source may never settle otherwise), then the source's `return()` is
 * called without being awaited, for the same reason.
 */
export async function* guardStreamTimeouts(source: AsyncIterable<StreamEvent>, options: StreamTimeoutOptions): AsyncGenerator<StreamEvent> {
  const { clock } = options;
  const iterator = source[Symbol.asyncIterator]();
  let sourceEnded = false;
  const cancelSource = (): void => {
    if (sourceEnded) return;
    sourceEnded = true;
    iterator.return?.().catch(() => undefined);
  };
  try {
    for (;;) {
      const remainingMs = options.deadline - clock.now();
      const waitMs = Math.min(options.idleMs, remainingMs);
      let step: TimerRace<IteratorResult<StreamEvent>>;
      try {
        step = remainingMs <= 0 ? { timedOut: true } : await raceTimer(iterator.next(), waitMs, clock);
      } catch (error) {
        // The source threw (against its contract): it is finished, there is nothing to cancel.
        sourceEnded = true;
        throw error;
      }
      if (step.timedOut) {
        const overall = waitMs >= remainingMs;
        const message = overall
          ? `The stream from ${options.deployment} ran past its total time limit`
          : `The stream from ${options.deployment} sent nothing for ${options.idleMs} ms`;
        options.abort(new GatewayError('upstream_timeout', message));
        // Cleaned up before the error is handed on: the reader may never ask for anything after it.
        options.release();
        cancelSource();
        yield { type: 'error', code: 'upstream_timeout', message };
        return;
      }
      if (step.value.done === true) {
        sourceEnded = true;
        return;
      }
      yield step.value.value;
    }
  } finally {
    options.release();
    cancelSource();
  }
}
