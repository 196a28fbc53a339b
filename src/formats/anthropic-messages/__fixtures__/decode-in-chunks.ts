import type { StreamEvent } from '../../../core/model/index.ts';
import type { StreamDecoder } from '../../wire-format.ts';

/** Feeds `bytes` to a decoder cut at the given offsets, then ends it; returns every event. */
export const decodeInChunks = (decoder: StreamDecoder, bytes: Uint8Array, cuts: number[] = []): StreamEvent[] => {
  const events: StreamEvent[] = [];
  let start = 0;
  for (const cut of cuts.toSorted((left, right) => left - right)) {
    events.push(...decoder.push(bytes.subarray(start, cut)));
    start = cut;
  }
  events.push(...decoder.push(bytes.subarray(start)));
  events.push(...decoder.end());
  return events;
};

/** Every byte boundary, for byte-by-byte decoding. */
export const everyByte = (bytes: Uint8Array): number[] => Array.from({ length: bytes.length - 1 }, (_, index) => index + 1);

/** Deterministic pseudo-random cut points (a small LCG), so a failure can be replayed from its seed. */
export const randomCuts = (length: number, seed: number, count = 25): number[] => {
  let state = seed;
  const cuts = new Set<number>();
  while (cuts.size < Math.min(count, length - 1)) {
    state = (state * 1103515245 + 12345) % 2147483648;
    cuts.add(1 + (state % (length - 1)));
  }
  return [...cuts];
};

export const encodeText = (text: string): Uint8Array => new TextEncoder().encode(text);
