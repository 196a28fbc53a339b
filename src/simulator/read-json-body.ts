import type { IncomingMessage } from 'node:http';

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Reads and parses a JSON request body. Bodies over `limit` bytes are drained, not kept, so the
 * connection stays usable for the next request.
 */
export const readJsonBody = async (request: IncomingMessage, limit: number): Promise<JsonBodyResult> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) return { ok: false, message: `The request body is larger than ${limit} bytes` };
  const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: false, message: 'The request body is empty; a JSON object was expected' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}` };
  }
};
