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
 */
export const writeEventStream = async (response: ServerResponse, events: AsyncIterable<StreamEvent>, encoder: StreamEncoder): Promise<void> => {
  const iterator = events[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      if (response.destroyed) break;
      const chunk = encoder.encode(next.value);
      if (chunk.length > 0 && !response.write(chunk) && !(await drained(response))) break;
    }
    if (!response.destroyed) response.end(encoder.end());
  } finally {
    await iterator.return?.();
  }
};
