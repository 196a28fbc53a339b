import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '../core/model/index.ts';
import type { StreamEncoder } from '../formats/wire-format.ts';

/** Resolves true on 'drain', false when the connection closes first. */
const drained = (response: ServerResponse): Promise<boolean> =>
  new Promise((resolve) => {
    const onDrain = (): void => finish(true);
    const onClose = (): void => finish(false);
    const finish = (value: boolean): void => {
      response.off('drain', onDrain);
      response.off('close', onClose);
      resolve(value);
    };
    response.on('drain', onDrain);
    response.on('close', onClose);
  });

/**
 * Writes a stream of events to the caller in its format, waiting for the socket to drain when the
 * caller reads slower than the provider writes (backpressure), and stopping — which cancels the upstream
 * call — when the caller goes away. Always starts the iteration, so the stream's outcome is recorded
 * even when the caller left before the first event.
 *
 * Events decoded from one upstream read arrive in one run of microtasks: their encodings are joined
 * and written once, on the next tick, rather than as one HTTP chunk (and one `write`) per event.
 */
export const writeEventStream = async (response: ServerResponse, events: AsyncIterable<StreamEvent>, encoder: StreamEncoder): Promise<void> => {
  const iterator = events[Symbol.asyncIterator]();
  let pending = '';
  let scheduled = false;
  let ended = false;
  let blocked: Promise<boolean> | undefined;
  const flush = (): void => {
    scheduled = false;
    // While the socket is full, text waits here; the loop writes it once the socket drains.
    if (ended || blocked !== undefined || pending === '' || response.destroyed) return;
    const text = pending;
    pending = '';
    if (!response.write(text)) blocked = drained(response);
  };
  try {
    for (;;) {
      // A full socket stops the reading of further events (and with it the upstream) until it drains.
      let writable = true;
      while (writable && blocked !== undefined) {
        writable = await blocked;
        blocked = undefined;
        if (writable) flush();
      }
      if (!writable) break;
      const next = await iterator.next();
      if (next.done === true) break;
      if (response.destroyed) break;
      const chunk = encoder.encode(next.value);
      if (chunk.length === 0) continue;
      pending += chunk;
      if (!scheduled) {
        scheduled = true;
        process.nextTick(flush);
      }
    }
    ended = true;
    if (!response.destroyed) response.end(pending + encoder.end());
  } finally {
    ended = true;
    await iterator.return?.();
  }
};
