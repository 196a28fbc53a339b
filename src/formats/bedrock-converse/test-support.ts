import { readFileSync } from 'node:fs';
import type { JsonValue, StreamEvent } from '../../core/model/index.ts';
import type { StreamDecoder } from '../wire-format.ts';
import { encodeEventStreamFrame } from './event-stream-framing.ts';

/** Helpers for this folder's tests: fixtures, event-stream frames, chunk splits. */

export interface Fixture<Payload = JsonValue> {
  source: string;
  note: string;
  payload: Payload;
}

export const loadFixture = <Payload = JsonValue>(name: string): Fixture<Payload> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as Fixture<Payload>;

const encoder = new TextEncoder();

/** One ConverseStream event frame, headers as Bedrock sends them. */
export const eventFrame = (eventType: string, payload: JsonValue): Uint8Array =>
  encodeEventStreamFrame(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    encoder.encode(JSON.stringify(payload)),
  );

/** The binary body of a stream given as (event-type, payload) pairs. */
export const streamBody = (pairs: Array<[string, JsonValue]>): Uint8Array => concatenate(pairs.map(([type, payload]) => eventFrame(type, payload)));

export const concatenate = (parts: Uint8Array[]): Uint8Array => {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
};

/** Feeds `chunks` to a decoder and ends it. */
export const decodeChunks = (decoder: StreamDecoder, chunks: Uint8Array[]): StreamEvent[] => [
  ...chunks.flatMap((chunk) => decoder.push(chunk)),
  ...decoder.end(),
];

/** Every byte on its own. */
export const byteByByte = (bytes: Uint8Array): Uint8Array[] => Array.from(bytes, (byte) => Uint8Array.of(byte));

/** Deterministic pseudo-random splits (a linear congruential generator), so a failure replays. */
export const randomSplits = (bytes: Uint8Array, seed: number, maximumChunk = 40): Uint8Array[] => {
  let state = seed;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const size = 1 + (state % maximumChunk);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
};

/** stream-start carries a random id and the clock: pin them so streams compare. */
export const pinStreamStart = (events: StreamEvent[]): StreamEvent[] =>
  events.map((event) => (event.type === 'stream-start' ? { ...event, id: 'id', created: 0 } : event));

export const base64Bytes = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));
