import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `milliseconds`, cut short when the client goes away. Resolves false in that case. Builds no
 * AbortController for a zero wait: with the default instant latency that is every request.
 */
export const waitUnlessClosed = async (response: ServerResponse, milliseconds: number): Promise<boolean> => {
  if (response.destroyed) return false;
  if (milliseconds < 1) return true;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  response.once('close', abort);
  try {
    await delay(milliseconds, undefined, { signal: controller.signal });
    return true;
  } catch {
    return false;
  } finally {
    response.off('close', abort);
  }
};
