import type { StreamEvent, TokenUsage } from '../model/index.ts';

/** What an admission stage needs to know about a stream once it has ended. */
export interface StreamSummary {
  /** The last usage event's, when the provider sent one. */
  usage: TokenUsage | undefined;
  /** Characters of text, reasoning and tool-call arguments generated, to estimate usage without one. */
  generatedCharacters: number;
  /** `done`: the source ended; `failed`: it threw; `abandoned`: the consumer stopped reading. */
  ending: 'done' | 'failed' | 'abandoned';
}

type OnEnd = (summary: StreamSummary) => Promise<void> | void;

const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A plain iterator rather than an async generator: every event of every stream passes through it, and a
 * generator's `for await` + `yield` costs several promise hops per event. It settles on the source's
 * end, on its failure and on the consumer's `return()`, whichever comes first, and exactly once.
 */
class WatchedStream implements AsyncIterableIterator<StreamEvent, undefined> {
  readonly #source: AsyncIterable<StreamEvent>;
  readonly #onEnd: OnEnd;
  readonly #summary: StreamSummary = { usage: undefined, generatedCharacters: 0, ending: 'abandoned' };
  #iterator: AsyncIterator<StreamEvent> | undefined;
  #ended = false;

  constructor(source: AsyncIterable<StreamEvent>, onEnd: OnEnd) {
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
      await this.#end('failed');
      throw thrown;
    }
    if (result.done === true) {
      await this.#end('done');
      return finished;
    }
    this.#observe(result.value);
    return result;
  }

  /** The consumer stopped reading: stop the source too (cancelling the upstream call), then settle. */
  async return(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.#ended) return finished;
    try {
      await (this.#iterator ?? this.#source[Symbol.asyncIterator]()).return?.();
    } finally {
      await this.#end('abandoned');
    }
    return finished;
  }

  #observe(event: StreamEvent): void {
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta':
        this.#summary.generatedCharacters += event.text.length;
        break;
      case 'tool-call-start':
        this.#summary.generatedCharacters += event.name.length;
        break;
      case 'tool-call-delta':
        this.#summary.generatedCharacters += event.argumentsDelta.length;
        break;
      case 'usage':
        this.#summary.usage = event.usage;
        break;
      default:
        break;
    }
  }

  async #end(ending: StreamSummary['ending']): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    this.#summary.ending = ending;
    await this.#onEnd(this.#summary);
  }
}

/**
 * Passes a stream through unchanged and calls `onEnd` once when it ends for any reason: finished, failed,
 * or abandoned by its consumer (whose `return()` also stops the source). When `onEnd` returns a promise,
 * the end reaches the consumer once it has settled.
 */
export const watchStream = (source: AsyncIterable<StreamEvent>, onEnd: OnEnd): AsyncIterableIterator<StreamEvent, undefined> => new WatchedStream(source, onEnd);
