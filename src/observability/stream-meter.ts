import { GatewayError, toGatewayError } from '../core/errors/index.ts';
import type { FinishReason, StreamEvent, TokenUsage } from '../core/model/index.ts';

/** What a stream turned out to be, known once it has ended. */
export interface StreamOutcome {
  usage: TokenUsage | undefined;
  /** Text and tool-call arguments generated, for estimating usage when the provider sent none. */
  generatedText: string;
  finishReason?: FinishReason;
  error?: { code: string; message: string };
  /** Monotonic ms from the start of the request to the first content event. */
  timeToFirstTokenMs?: number;
  /** True when the consumer stopped reading before the stream ended (the client went away). */
  abandoned: boolean;
}

type OnEnd = (outcome: StreamOutcome) => Promise<void> | undefined | void;

const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The meter as a plain iterator rather than an async generator: every event of every stream passes
 * through it, and a generator's `for await` + `yield` costs several promise hops per event.
 */
class StreamMeter implements AsyncIterableIterator<StreamEvent, undefined> {
  readonly #source: AsyncIterable<StreamEvent>;
  readonly #startedAtMonotonic: number;
  readonly #onEnd: OnEnd;
  readonly #outcome: StreamOutcome = { usage: undefined, generatedText: '', abandoned: true };
  #iterator: AsyncIterator<StreamEvent> | undefined;
  /** `open`: reading the source; `last`: a final error event was handed out, the source is done; `closed`: ended and reported. */
  #state: 'open' | 'last' | 'closed' = 'open';

  constructor(source: AsyncIterable<StreamEvent>, startedAtMonotonic: number, onEnd: OnEnd) {
    this.#source = source;
    this.#startedAtMonotonic = startedAtMonotonic;
    this.#onEnd = onEnd;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.#state === 'closed') return finished;
    if (this.#state === 'last') {
      await this.#end(false);
      return finished;
    }
    this.#iterator ??= this.#source[Symbol.asyncIterator]();
    let result: IteratorResult<StreamEvent>;
    try {
      result = await this.#iterator.next();
    } catch (thrown) {
      if (this.#outcome.error !== undefined) {
        await this.#end(true);
        throw thrown;
      }
      // A source that throws instead of yielding an error event still reaches the caller as an error event.
      this.#state = 'last';
      return { done: false, value: this.#recordError(toGatewayError(thrown)) };
    }
    if (result.done === true) {
      if (this.#outcome.finishReason === undefined && this.#outcome.error === undefined) {
        this.#state = 'last';
        return { done: false, value: this.#recordError(new GatewayError('upstream_stream_interrupted', 'The provider stream ended before it finished.')) };
      }
      await this.#end(false);
      return finished;
    }
    this.#observe(result.value);
    return result;
  }

  /** The consumer stopped reading: stop the source (which cancels the upstream call), then report. */
  async return(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.#state === 'closed') return finished;
    const reading = this.#state === 'open';
    try {
      // Also when the consumer never read: the source may hold an open upstream response.
      if (reading) await (this.#iterator ?? this.#source[Symbol.asyncIterator]()).return?.();
    } finally {
      await this.#end(true);
    }
    return finished;
  }

  #observe(event: StreamEvent): void {
    const outcome = this.#outcome;
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta':
        outcome.generatedText += event.text;
        outcome.timeToFirstTokenMs ??= performance.now() - this.#startedAtMonotonic;
        break;
      case 'tool-call-start':
        outcome.generatedText += event.name;
        outcome.timeToFirstTokenMs ??= performance.now() - this.#startedAtMonotonic;
        break;
      case 'tool-call-delta':
        outcome.generatedText += event.argumentsDelta;
        break;
      case 'usage':
        outcome.usage = event.usage;
        break;
      case 'finish':
        outcome.finishReason = event.finishReason;
        break;
      case 'error':
        outcome.error = { code: event.code, message: event.message };
        break;
      case 'stream-start':
        break;
    }
  }

  #recordError(error: GatewayError): StreamEvent {
    this.#outcome.error = { code: error.code, message: error.message };
    return { type: 'error', code: error.code, message: error.message };
  }

  /** Reports the outcome exactly once; a deferred report (usage to estimate) is waited for. */
  async #end(abandoned: boolean): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#outcome.abandoned = abandoned;
    const recorded = this.#onEnd(this.#outcome);
    if (recorded !== undefined) await recorded;
  }
}

/**
 * Passes a stream through unchanged while measuring it, and reports the outcome exactly once when the
 * stream ends for any reason: finished, failed, cut off, or abandoned by the consumer. Stopping the
 * consumer's iteration also stops the source (its `return()` runs), which cancels the upstream call.
 * When `onEnd` returns a promise, the stream ends once it has settled.
 */
export const meterStream = (source: AsyncIterable<StreamEvent>, startedAtMonotonic: number, onEnd: OnEnd): AsyncIterableIterator<StreamEvent, undefined> =>
  new StreamMeter(source, startedAtMonotonic, onEnd);
