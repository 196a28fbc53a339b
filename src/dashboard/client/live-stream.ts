import type { RequestRow } from './api-types.ts';
import { hasSession } from './api-client.ts';
import { parseLiveEvent } from './live-rows.ts';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'disconnected';

export interface LiveStreamHandlers {
  onRows: (rows: RequestRow[]) => void;
  onState: (state: ConnectionState) => void;
  /** The stream failed because the session ended: the viewer must sign in again. */
  onSessionEnded: () => void;
}

const firstRetryMs = 2_000;
const maxRetryMs = 30_000;

/**
 * Follows `GET /dashboard/api/live`. The browser's EventSource retries dropped connections itself; when
 * it gives up (any non-200 answer), this asks whether the session is still valid, then either hands over
 * to the login view or tries again with a growing delay.
 */
export const openLiveStream = (handlers: LiveStreamHandlers): { close: () => void } => {
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryDelay = firstRetryMs;
  let closed = false;

  const retryLater = (): void => {
    if (closed) return;
    retryTimer = setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, maxRetryMs);
  };

  const connect = (): void => {
    if (closed) return;
    handlers.onState(source === null ? 'connecting' : 'reconnecting');
    source?.close();
    const stream = new EventSource('/dashboard/api/live');
    source = stream;
    const receive = (event: Event): void => handlers.onRows(parseLiveEvent((event as MessageEvent<string>).data));
    stream.addEventListener('open', () => {
      retryDelay = firstRetryMs;
      handlers.onState('live');
    });
    stream.addEventListener('backlog', receive);
    stream.addEventListener('request', receive);
    stream.addEventListener('error', () => {
      if (closed || stream !== source) return;
      if (stream.readyState === EventSource.CONNECTING) return handlers.onState('reconnecting');
      handlers.onState('disconnected');
      hasSession()
        .then((signedIn) => {
          if (closed) return;
          if (signedIn) retryLater();
          else handlers.onSessionEnded();
        })
        .catch(retryLater);
    });
  };

  connect();
  return {
    close: () => {
      closed = true;
      clearTimeout(retryTimer);
      source?.close();
      source = null;
    },
  };
};
