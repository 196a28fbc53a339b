import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * Collects the encoded pieces that are due together and writes them as one chunk: at high
 * concurrency one write per token would cost a syscall each. Waits for 'drain' when the socket's
 * buffer is full, so a slow reader slows the stream instead of growing memory.
 */
export class ChunkBatch {
  readonly #response: ServerResponse;
  #pending: Array<string | Uint8Array> = [];

  constructor(response: ServerResponse) {
    this.#response = response;
  }

  add(chunk: string | Uint8Array): void {
    if (chunk.length > 0) this.#pending.push(chunk);
  }

  /** Writes what is pending. Resolves false when the client has gone away. */
  async flush(): Promise<boolean> {
    if (this.#response.destroyed) return false;
    if (this.#pending.length === 0) return true;
    const pending = this.#pending;
    this.#pending = [];
    const chunk = pending.every((piece) => typeof piece === 'string')
      ? pending.join('')
      : Buffer.concat(pending.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
    if (this.#response.write(chunk)) return true;
    const cleanup = new AbortController();
    await Promise.race([once(this.#response, 'drain', cleanup), once(this.#response, 'close', cleanup)]).catch(() => undefined);
    cleanup.abort();
    return !this.#response.destroyed;
  }

  /** Flushes and resolves once the bytes have left for the network, e.g. before cutting the socket. */
  async flushToSocket(): Promise<void> {
    if (this.#pending.length === 0 || this.#response.destroyed) return;
    const pending = this.#pending;
    this.#pending = [];
    const chunk = Buffer.concat(pending.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
    await new Promise<void>((resolve) => this.#response.write(chunk, () => resolve()));
  }
}
