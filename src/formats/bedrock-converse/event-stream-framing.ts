import { crc32 } from 'node:zlib';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/**
 * Framing of the AWS event stream (`application/vnd.amazon.eventstream`) that ConverseStream answers
 * with. Each message is: total length (4 bytes), headers length (4), prelude CRC32 (4), headers,
 * payload, message CRC32 (4), all big-endian.
 * https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream
 * and https://smithy.io/2.0/aws/amazon-eventstream.html
 *
 * `@smithy/eventstream-codec` does the header encoding and both CRC checks; this file adds what the
 * codec leaves to its caller: cutting a byte stream that may be split anywhere into whole messages.
 */

/** Built once: the codec's encode/decode keep no state between calls. */
const codec = new EventStreamCodec(toUtf8, fromUtf8);

type CodecHeaders = Parameters<EventStreamCodec['encode']>[0]['headers'];

/** One decoded message. Only string-valued headers are kept: Converse uses no other kind. */
export interface EventStreamFrame {
  headers: Record<string, string>;
  payload: Uint8Array;
}

/** Thrown for a frame that is not a valid event-stream message (bad length or CRC). */
export class EventStreamFrameError extends Error {
  override readonly name = 'EventStreamFrameError';
}

const preludeLength = 12;
const minimumFrameLength = 16;
/** The event-stream format caps a message at 16 MiB. */
const maximumFrameLength = 16 * 1024 * 1024;

/** Encodes one message with string headers. */
export const encodeEventStreamFrame = (headers: Record<string, string>, payload: Uint8Array): Uint8Array => {
  const codecHeaders: CodecHeaders = {};
  for (const [name, value] of Object.entries(headers)) codecHeaders[name] = { type: 'string', value };
  return codec.encode({ headers: codecHeaders, body: payload });
};

/**
 * Reassembles messages from chunks split anywhere (inside the prelude, the headers or the CRC): it
 * buffers until the prelude's total length has arrived, then hands the whole message to the codec.
 */
export class EventStreamFrameReader {
  #buffer = new Uint8Array(4096);
  #start = 0;
  #end = 0;

  /** Returns the messages completed by `chunk`. Throws EventStreamFrameError on a corrupt message. */
  push(chunk: Uint8Array): EventStreamFrame[] {
    this.#append(chunk);
    const frames: EventStreamFrame[] = [];
    while (this.#end - this.#start >= preludeLength) {
      const totalLength = this.#checkedTotalLength();
      if (this.#end - this.#start < totalLength) break;
      const bytes = this.#buffer.slice(this.#start, this.#start + totalLength);
      this.#start += totalLength;
      frames.push(decodeFrame(bytes));
    }
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return frames;
  }

  /** True when bytes were received that do not yet make a whole message. */
  get hasPartialFrame(): boolean {
    return this.#end > this.#start;
  }

  /**
   * The next message's length, trusted only once its prelude CRC matches: a corrupt length is caught
   * at once instead of leaving the reader waiting for up to 16 MiB that will never come.
   */
  #checkedTotalLength(): number {
    const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset + this.#start, preludeLength);
    if (crc32(this.#buffer.subarray(this.#start, this.#start + 8)) !== view.getUint32(8, false)) {
      throw new EventStreamFrameError('Event-stream prelude checksum does not match');
    }
    const totalLength = view.getUint32(0, false);
    if (totalLength < minimumFrameLength || totalLength > maximumFrameLength) {
      throw new EventStreamFrameError(`Event-stream message length ${totalLength} is out of range`);
    }
    return totalLength;
  }

  #append(chunk: Uint8Array): void {
    if (this.#end + chunk.length > this.#buffer.length) {
      const pending = this.#buffer.subarray(this.#start, this.#end);
      const needed = pending.length + chunk.length;
      const target = needed > this.#buffer.length ? new Uint8Array(needed * 2) : this.#buffer;
      // TypedArray#set copies correctly even when source and target share the buffer.
      target.set(pending, 0);
      this.#buffer = target;
      this.#start = 0;
      this.#end = pending.length;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }
}

const decodeFrame = (bytes: Uint8Array): EventStreamFrame => {
  let decoded: ReturnType<EventStreamCodec['decode']>;
  try {
    decoded = codec.decode(bytes);
  } catch (error) {
    throw new EventStreamFrameError(error instanceof Error ? error.message : 'Invalid event-stream message');
  }
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(decoded.headers)) {
    if (header.type === 'string') headers[name] = header.value;
  }
  return { headers, payload: decoded.body };
};
