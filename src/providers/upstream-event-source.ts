import type { Readable } from 'node:stream';
import { isGatewayError } from '../core/errors/index.ts';
import type { StreamEvent } from '../core/model/index.ts';
import type { StreamDecoder } from '../formats/wire-format.ts';

/**
 * Pulls canonical events out of an upstream body one at a time, decoding chunks as they arrive.
 * Transport failures are thrown as they come (the caller decides what they mean at that point of the
 * stream); a decoder that throws, against its contract, becomes an `error` event.
 */
export class UpstreamEventSource {
  readonly #body: Readable;
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #decoder: StreamDecoder;
  readonly #pending: StreamEvent[] = [];
  #ended = false;

  constructor(body: Readable, decoder: StreamDecoder) {
    this.#body = body;
    this.#chunks = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    this.#decoder = decoder;
  }

  /** The next event, or undefined once the body has ended and every event was taken. */
  async next(): Promise<StreamEvent | undefined> {
    while (this.#pending.length === 0) {
      if (this.#ended) return undefined;
      const chunk = await this.#chunks.next();
      if (chunk.done === true) this.#ended = true;
      this.#pending.push(...this.#decode(chunk.done === true ? undefined : chunk.value));
    }
    return this.#pending.shift();
  }

  /** Stops reading. Destroying an unfinished body aborts its request, so the provider stops generating. */
  close(): void {
    this.#ended = true;
    this.#pending.length = 0;
    this.#body.destroy();
  }

  #decode(chunk: Buffer | undefined): StreamEvent[] {
    try {
      return chunk === undefined ? this.#decoder.end() : this.#decoder.push(chunk);
    } catch (error) {
      const message = isGatewayError(error) ? error.message : 'The provider sent a stream chunk that could not be decoded';
      return [{ type: 'error', code: 'upstream_invalid_response', message }];
    }
  }
}
