import type { Readable } from 'node:stream';
import { GatewayError, isErrorCode } from '../core/errors/index.ts';
import type { StreamEvent } from '../core/model/index.ts';
import type { StreamDecoder } from '../formats/wire-format.ts';
import { mapTransportError } from './map-transport-error.ts';
import { UpstreamEventSource } from './upstream-event-source.ts';

export interface OpenEventStreamOptions {
  body: Readable;
  decoder: StreamDecoder;
  signal: AbortSignal;
  provider: string;
  /** The upstream model asked for: named in `stream-start` when the provider names none. */
  model: string;
}

type ErrorEvent = Extract<StreamEvent, { type: 'error' }>;

/** `stream-start` and `usage` reach the caller as nothing visible, so a failure after them can still fall back. */
const isContent = (event: StreamEvent): boolean => event.type !== 'stream-start' && event.type !== 'usage';

const errorEvent = (error: GatewayError): ErrorEvent => ({ type: 'error', code: error.code, message: error.message });

/**
 * An in-stream error before any content. Nothing reached the caller yet, so a stream cut off here is a
 * failed connection (retryable, may fall back), not an interrupted answer.
 */
const startError = (event: ErrorEvent, provider: string): GatewayError => {
  if (event.code === 'upstream_stream_interrupted') {
    return new GatewayError('upstream_connection_failed', `Provider "${provider}" closed the stream before sending any content`);
  }
  return new GatewayError(isErrorCode(event.code) ? event.code : 'upstream_server_error', event.message);
};

/** A transport failure after content reached the caller: the answer is cut, and says so. */
const midStreamError = (error: unknown, signal: AbortSignal, provider: string): ErrorEvent => {
  const mapped = mapTransportError(error, signal, provider);
  if (mapped.code !== 'upstream_connection_failed') return errorEvent(mapped);
  return { type: 'error', code: 'upstream_stream_interrupted', message: `${mapped.message} mid-stream` };
};

const interrupted = (provider: string): ErrorEvent => ({
  type: 'error',
  code: 'upstream_stream_interrupted',
  message: `Provider "${provider}" ended the stream before it finished`,
});

const withModel = (event: StreamEvent, model: string): StreamEvent =>
  event.type === 'stream-start' && event.model === '' ? { ...event, model } : event;

/**
 * Peeks at an upstream stream: resolves once the first content event (or `finish`) has arrived, and
 * throws a failed start — a transport failure or an in-stream error before any content — so the
 * resilience layer can still retry or fall back. The iterable then replays what was peeked and ends
 * after `finish` (plus trailing `usage`) or one `error`. Leaving the iteration early, or the signal
 * aborting, destroys the body and with it the upstream request.
 */
export const openEventStream = async (options: OpenEventStreamOptions): Promise<AsyncIterable<StreamEvent>> => {
  const { signal, provider, model } = options;
  const source = new UpstreamEventSource(options.body, options.decoder);
  const peeked: StreamEvent[] = [];
  try {
    for (;;) {
      const event = await source.next();
      if (event === undefined) throw startError(interrupted(provider), provider);
      if (event.type === 'error') throw startError(event, provider);
      peeked.push(withModel(event, model));
      if (isContent(event)) break;
    }
  } catch (error) {
    source.close();
    throw mapTransportError(error, signal, provider);
  }
  const events = replayThenRead(peeked, source, signal, provider, model);
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => events.next(),
      // A generator that never started skips its `finally`: close the body here too.
      return: async () => {
        source.close();
        return events.return(undefined);
      },
    }),
  };
};

async function* replayThenRead(
  peeked: StreamEvent[],
  source: UpstreamEventSource,
  signal: AbortSignal,
  provider: string,
  model: string,
): AsyncGenerator<StreamEvent, void, undefined> {
  let finished = false;
  try {
    for (const event of peeked) {
      yield event;
      if (event.type === 'finish') finished = true;
    }
    for (;;) {
      let event: StreamEvent | undefined;
      try {
        event = await source.next();
      } catch (error) {
        // After `finish` the answer is whole; a connection lost before the trailing usage changes nothing.
        if (!finished) yield midStreamError(error, signal, provider);
        return;
      }
      if (event === undefined) {
        if (!finished) yield interrupted(provider);
        return;
      }
      if (finished) {
        if (event.type === 'usage') yield event;
        continue;
      }
      yield withModel(event, model);
      if (event.type === 'error') return;
      if (event.type === 'finish') finished = true;
    }
  } finally {
    source.close();
  }
}
