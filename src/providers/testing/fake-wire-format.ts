import { z } from 'zod';
import { GatewayError } from '../../core/errors/index.ts';
import type { StreamEvent } from '../../core/model/index.ts';
import { classifyUpstreamStatus, parseRetryAfter } from '../../formats/shared/classify-upstream-status.ts';
import type { StreamDecoder, WireFormat } from '../../formats/wire-format.ts';

/**
 * A minimal codec for testing the transport alone: a result is `{ "text": ..., "model"?: ... }`, a
 * stream is one canonical StreamEvent as JSON per line, and an error quotes the upstream body, so
 * tests can see what reached the error message.
 */
const resultSchema = z.object({ text: z.string(), model: z.string().optional() });

const notUsed = (): never => {
  throw new Error('not used by providers');
};

const createLineDecoder = (): StreamDecoder => {
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const lineToEvent = (line: string): StreamEvent => {
    try {
      const event = JSON.parse(line) as StreamEvent;
      if (event.type === 'finish' || event.type === 'error') ended = true;
      return event;
    } catch {
      return { type: 'error', code: 'upstream_invalid_response', message: 'malformed line' };
    }
  };
  return {
    push(chunk) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      return lines.filter((line) => line !== '').map(lineToEvent);
    },
    end() {
      if (ended && buffer === '') return [];
      return [{ type: 'error', code: 'upstream_stream_interrupted', message: 'The stream ended early' }];
    },
  };
};

export const fakeWireFormat: WireFormat = {
  name: 'openai-chat',
  decodeRequest: notUsed,
  encodeRequest: (request, context) => ({ model: context.model, stream: request.stream, messages: request.messages.length }),
  decodeResult(body) {
    const parsed = resultSchema.safeParse(body);
    if (!parsed.success) throw new GatewayError('upstream_invalid_response', 'bad result');
    return {
      id: 'result-1',
      model: parsed.data.model ?? '',
      created: 0,
      content: [{ type: 'text', text: parsed.data.text }],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
    };
  },
  encodeResult: notUsed,
  createStreamDecoder: createLineDecoder,
  createStreamEncoder: notUsed,
  decodeError(status, body, headers) {
    const retryAfterSeconds = parseRetryAfter(headers);
    return new GatewayError(classifyUpstreamStatus(status), `upstream said: ${body}`, {
      upstreamStatus: status,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  },
  encodeError: notUsed,
};

/** Formats events as the fake stream's lines. */
export const eventLines = (...events: StreamEvent[]): string => events.map((event) => `${JSON.stringify(event)}\n`).join('');
