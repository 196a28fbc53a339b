import type { ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors/index.ts';

/**
 * An AbortSignal that fires when the caller disconnects before its response is complete. It watches the
 * response, not the request: a request's 'close' fires as soon as its body has been read.
 */
export const signalForResponse = (response: ServerResponse): AbortSignal => {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new GatewayError('client_closed_request', 'The client closed the request.'));
  });
  return controller.signal;
};
