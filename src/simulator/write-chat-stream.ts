import type { ServerResponse } from 'node:http';
import type { StreamEvent } from '../core/model/index.ts';
import type { StreamEncoder } from '../formats/wire-format.ts';
import { ChunkBatch } from './chunk-batch.ts';
import type { FaultName } from './fault-rule.ts';
import { tokenDueAt, type LatencySettings } from './latency-model.ts';
import { malformedChunk } from './malformed-chunk.ts';
import type { ProviderFamily } from './provider-family.ts';
import { waitUnlessClosed } from './wait-unless-closed.ts';

export interface ChatStreamWrite {
  response: ServerResponse;
  family: ProviderFamily;
  encoder: StreamEncoder;
  /** A well-formed canonical stream: stream-start, content, finish, usage. */
  events: StreamEvent[];
  latency: LatencySettings;
  /** This request's time to first token (jitter applied). */
  ttftMs: number;
  fault: FaultName | undefined;
}

/** Where in the content a transport fault strikes: about half-way, but after at least one piece. */
const faultPositions = (fault: FaultName | undefined, contentLength: number): { cutAt: number; malformedAt: number } => {
  const middle = Math.max(1, Math.floor(contentLength / 2));
  return {
    cutAt: fault === 'stream-cut' ? Math.min(middle, contentLength) : -1,
    malformedAt: fault === 'malformed-chunk' ? Math.min(middle, contentLength) : fault === 'invalid-json' ? 0 : -1,
  };
};

/**
 * Streams an answer paced by the latency model: the first content piece after the time to first
 * token, then one piece per token interval (pieces already due go out together). Plays the
 * transport faults: `stream-cut` destroys the socket half-way, `malformed-chunk` slips a broken chunk
 * in half-way, `invalid-json` does so at the start. Headers are sent by the caller.
 */
export const writeChatStream = async (write: ChatStreamWrite): Promise<void> => {
  const { response, encoder, events, latency } = write;
  const batch = new ChunkBatch(response);
  const finishIndex = events.findIndex((event) => event.type === 'finish');
  const [start, ...rest] = events.slice(0, finishIndex);
  const content = rest;
  const tail = events.slice(finishIndex);
  const { cutAt, malformedAt } = faultPositions(write.fault, content.length);
  if (start !== undefined) batch.add(encoder.encode(start));
  if (!(await batch.flush()) || !(await waitUnlessClosed(response, write.ttftMs))) return;
  const firstTokenAt = performance.now();
  for (let index = 0; index <= content.length; index++) {
    if (index === malformedAt) batch.add(malformedChunk(write.family));
    if (index === cutAt) {
      await batch.flushToSocket();
      response.destroy();
      return;
    }
    const event = content[index];
    if (event === undefined) break;
    const due = tokenDueAt(latency, index) - (performance.now() - firstTokenAt);
    if (due >= 1 && (!(await batch.flush()) || !(await waitUnlessClosed(response, due)))) return;
    batch.add(encoder.encode(event));
  }
  for (const event of tail) batch.add(encoder.encode(event));
  batch.add(encoder.end());
  if (await batch.flush()) response.end();
};
