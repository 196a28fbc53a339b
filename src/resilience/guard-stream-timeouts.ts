import { GatewayError } from '../core/errors/index.ts';
import type { StreamEvent } from '../core/model/index.ts';
import type { Clock } from './clock.ts';

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

const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Passes a started stream through, ending it with an `upstream_timeout` error event when the source
 * goes quiet for `idleMs` or runs past the deadline. Only the wait for the source counts as idle: a
 * slow reader is backpressure, not a stalled upstream. On expiry the upstream is aborted first (a
 * pending `next()` of a stalled source may never settle otherwise), then the source's `return()` is
 * called without being awaited, for the same reason.
 *
 * A plain iterator with one lazily re-armed timer, not a generator racing a fresh timer per event:
 * it sits on every event of every stream. When the timer fires early (events kept coming), it is
 * re-armed for what is left of the current wait.
 */
export const guardStreamTimeouts = (source: AsyncIterable<StreamEvent>, options: StreamTimeoutOptions): AsyncIterableIterator<StreamEvent> =>
  new StreamTimeoutGuard(source, options);

class StreamTimeoutGuard implements AsyncIterableIterator<StreamEvent> {
  readonly #options: StreamTimeoutOptions;
  readonly #source: AsyncIterable<StreamEvent>;
  #iterator: AsyncIterator<StreamEvent> | undefined;
  #ended = false;
  #sourceEnded = false;
  /** When the pending `next()` began waiting for the source; undefined while the reader holds an event. */
  #waitingSince: number | undefined;
  #pending: ((result: IteratorResult<StreamEvent>) => void) | undefined;
  #cancelTimer: (() => void) | undefined;

  constructor(source: AsyncIterable<StreamEvent>, options: StreamTimeoutOptions) {
    this.#source = source;
    this.#options = options;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    if (this.#ended) return Promise.resolve(finished);
    const now = this.#options.clock.now();
    if (now >= this.#options.deadline) return Promise.resolve(this.#expire(true));
    const iterator = (this.#iterator ??= this.#source[Symbol.asyncIterator]());
    this.#waitingSince = now;
    this.#arm(now);
    return new Promise((resolve, reject) => {
      this.#pending = resolve;
      iterator.next().then(
        (result) => {
          if (this.#pending !== resolve) return; // expired meanwhile: the error event was given instead
          this.#pending = undefined;
          this.#waitingSince = undefined;
          if (result.done === true) {
            this.#sourceEnded = true;
            this.#end();
            resolve(finished);
          } else resolve(result);
        },
        (error: unknown) => {
          if (this.#pending !== resolve) return;
          this.#pending = undefined;
          // The source threw (against its contract): it is finished, there is nothing to cancel.
          this.#sourceEnded = true;
          this.#end();
          reject(error);
        },
      );
    });
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    if (!this.#ended) {
      this.#end();
      this.#cancelSource();
    }
    return finished;
  }

  #arm(now: number): void {
    if (this.#cancelTimer !== undefined || this.#waitingSince === undefined) return;
    const due = Math.min(this.#waitingSince + this.#options.idleMs, this.#options.deadline);
    this.#cancelTimer = this.#options.clock.setTimer(() => this.#onTimer(), Math.max(0, due - now));
  }

  #onTimer(): void {
    this.#cancelTimer = undefined;
    // Not waiting: the reader holds an event; the next `next()` arms the timer again.
    if (this.#ended || this.#waitingSince === undefined) return;
    const now = this.#options.clock.now();
    const overall = now >= this.#options.deadline;
    if (!overall && now - this.#waitingSince < this.#options.idleMs) {
      this.#arm(now);
      return;
    }
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.(this.#expire(overall));
  }

  #expire(overall: boolean): IteratorResult<StreamEvent> {
    const { deployment, idleMs } = this.#options;
    const message = overall ? `The stream from ${deployment} ran past its total time limit` : `The stream from ${deployment} sent nothing for ${idleMs} ms`;
    this.#options.abort(new GatewayError('upstream_timeout', message));
    // Cleaned up before the error is handed on: the reader may never ask for anything after it.
    this.#end();
    this.#cancelSource();
    return { done: false, value: { type: 'error', code: 'upstream_timeout', message } };
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#waitingSince = undefined;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#options.release();
  }

  #cancelSource(): void {
    if (this.#sourceEnded) return;
    this.#sourceEnded = true;
    (this.#iterator ?? this.#source[Symbol.asyncIterator]()).return?.().catch(() => undefined);
  }
}
