import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { EventStreamFrameError, EventStreamFrameReader, encodeEventStreamFrame } from './event-stream-framing.ts';
import { base64Bytes, byteByByte, concatenate, loadFixture, randomSplits } from './test-support.ts';

const text = new TextEncoder();
const frames = [
  encodeEventStreamFrame({ ':event-type': 'messageStart', ':message-type': 'event' }, text.encode('{"role":"assistant"}')),
  encodeEventStreamFrame({ ':event-type': 'contentBlockDelta', ':message-type': 'event' }, text.encode('{"contentBlockIndex":0,"delta":{"text":"héllo"}}')),
  encodeEventStreamFrame({ ':event-type': 'metadata' }, new Uint8Array(5000).fill(32)),
];
const body = concatenate(frames);

const readAll = (chunks: Uint8Array[]): Array<{ headers: Record<string, string>; payload: string }> => {
  const reader = new EventStreamFrameReader();
  const read = chunks.flatMap((chunk) => reader.push(chunk));
  assert.equal(reader.hasPartialFrame, false);
  return read.map((frame) => ({ headers: frame.headers, payload: new TextDecoder().decode(frame.payload) }));
};

test('reads frames whole, byte by byte and in random splits alike', () => {
  const whole = readAll([body]);
  assert.equal(whole.length, 3);
  assert.deepEqual(whole[1], { headers: { ':event-type': 'contentBlockDelta', ':message-type': 'event' }, payload: '{"contentBlockIndex":0,"delta":{"text":"héllo"}}' });
  assert.equal(whole[2]?.payload.length, 5000);
  assert.deepEqual(readAll(byteByByte(body)), whole);
  for (const seed of [1, 2, 3, 42, 2024]) assert.deepEqual(readAll(randomSplits(body, seed, 97)), whole);
});

test('reads the frames of a live Bedrock stream', () => {
  const live = loadFixture<{ bodyBase64: string }>('stream-live-claude-sonnet.json').payload;
  const read = readAll([base64Bytes(live.bodyBase64)]);
  assert.deepEqual(
    read.map((frame) => frame.headers[':event-type']),
    ['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'],
  );
  assert.ok(read.every((frame) => frame.headers[':content-type'] === 'application/json'));
});

test('keeps a partial frame until the rest arrives', () => {
  const reader = new EventStreamFrameReader();
  const first = frames[0] ?? new Uint8Array();
  assert.deepEqual(reader.push(first.subarray(0, 10)), []);
  assert.equal(reader.hasPartialFrame, true);
  assert.equal(reader.push(first.subarray(10)).length, 1);
  assert.equal(reader.hasPartialFrame, false);
});

test('rejects a frame whose CRC does not match', () => {
  const corrupted = body.slice();
  const target = (frames[0]?.length ?? 0) + 30; // a header byte of the second frame
  corrupted[target] = (corrupted[target] ?? 0) ^ 0xff;
  const reader = new EventStreamFrameReader();
  assert.throws(() => reader.push(corrupted), EventStreamFrameError);
});

test('rejects a corrupt prelude as soon as its 12 bytes are in', () => {
  const badLength = body.slice(0, 12);
  badLength[1] = (badLength[1] ?? 0) ^ 0x01; // a length of ~64 KiB more than the frame has
  assert.throws(() => new EventStreamFrameReader().push(badLength), /prelude checksum/);
});

/** A prelude with a valid CRC around the given total length. */
const prelude = (totalLength: number): Uint8Array => {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, totalLength);
  view.setUint32(8, crc32(bytes.subarray(0, 8)));
  return bytes;
};

test('rejects a length outside the event-stream limits', () => {
  assert.throws(() => new EventStreamFrameReader().push(prelude(12)), /out of range/);
  assert.throws(() => new EventStreamFrameReader().push(prelude(64 * 1024 * 1024)), /out of range/);
});
