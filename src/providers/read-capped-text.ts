import type { Readable } from 'node:stream';

/**
 * Reads at most `limit` bytes of a body as UTF-8 and discards the rest: an error body is only
 * classified and quoted, and a misbehaving upstream must not make us buffer megabytes for that.
 */
export const readCappedText = async (body: Readable, limit: number): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop early destroys the body: the rest is never downloaded.
    if (size >= limit) break;
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks).subarray(0, limit));
};
