import type { ChatResult, StreamEvent } from '../model/index.ts';

/** What the stage onion returns: a whole result, or a stream that has already started. */
export type GatewayResponse =
  | { type: 'result'; result: ChatResult }
  | { type: 'stream'; events: AsyncIterable<StreamEvent> };
