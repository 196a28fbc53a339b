import type { StreamEvent, TokenUsage } from '../../core/model/index.ts';

/** How a watched stream ended, and the last usage it reported. */
export interface StreamEnd {
  /** The last `usage` event's, when the provider sent one (usage events are cumulative). */
  usage: TokenUsage | undefined;
  /** `done`: the source ended; `failed`: it threw; `abandoned`: the consumer stopped reading. */
  ending: 'done' | 'failed' | 'abandoned';
}

const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A plain iterator rather than an async generator: every event of every stream passes through it, and
 * a generator's `for await` + `yield` costs promise hops per event. Also, a generator never started
 * runs no `finally` on `return()`, which would leak an in-flight count.
 */
class EndWatcher implements AsyncIterableIterator<StreamEvent, undefined> {
  readonly #source: AsyncIterable<StreamEvent>;
  readonly #onEnd: (end: StreamEnd) => void;
  #iterator: AsyncIterator<StreamEvent> | undefined;
  #usage: TokenUsage | undefined;
  #ended = false;

  constructor(source: AsyncIterable<StreamEvent>, onEnd: (end: StreamEnd) => void) {
    this.#source = source;
    this.#onEnd = onEnd;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.#ended) return finished;
    this.#iterator ??= this.#source[Symbol.asyncIterator]();
    let result: IteratorResult<StreamEvent>;
    try {
      result = await this.#iterator.next();
    } catch (thrown) {
      this.#end('failed');
      throw thrown;
    }
    if (result.done === true) {
      this.#end('done');
      return finished;
    }
    if (result.value.type === 'usage') this.#usage = result.value.usage;
    return result;
  }

  /** The consumer stopped reading: stop the source too (cancelling the upstream call). */
  async return(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.#ended) return finished;
    try {
      await (this.#iterator ?? this.#source[Symbol.asyncIterator]()).return?.();
    } finally {
      this.#end('abandoned');
    }
    return finished;
  }

  #end(ending: StreamEnd['ending']): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd({ usage: this.#usage, ending });
  }
}

/**
 * Passes a stream through unchanged and calls `onEnd` exactly once when it ends for any reason:
 * finished, failed, or abandoned by its consumer. `onEnd` runs synchronously and must not throw; work
 * it starts (a store write) is its own to settle.
 */
export const watchStreamEnd = (source: AsyncIterable<StreamEvent>, onEnd: (end: StreamEnd) => void): AsyncIterableIterator<StreamEvent, undefined> =>
  new EndWatcher(source, onEnd);
