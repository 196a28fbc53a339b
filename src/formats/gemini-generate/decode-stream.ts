import { randomUUID } from 'node:crypto';
import type { GatewayError } from '../../core/errors/index.ts';
import type { StreamEvent, TokenUsage } from '../../core/model/index.ts';
import { SseParser, type SseMessage } from '../shared/sse-parser.ts';
import type { StreamDecoder } from '../wire-format.ts';
import { decodeErrorObject } from './decode-error.ts';
import { createdSeconds, decodeCandidateParts, firstCandidate } from './decode-result.ts';
import { decodeUsageMetadata } from './gemini-usage.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { generateContentResponseSchema, type GeminiGenerateContentResponse } from './schemas.ts';
import { isSynthesizedToolCallId, synthesizeToolCallId } from './tool-call-id.ts';

/**
 * Decodes `streamGenerateContent?alt=sse` (https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent):
 * every `data:` is a whole GenerateContentResponse holding the next parts. Each chunk becomes, in
 * order: its usage (cumulative, emitted when it changed), its parts, and a finish where it has a
 * finishReason. Gemini sends function calls whole, so each is a tool-call-start and one
 * tool-call-delta with all its arguments. The stream has no end marker: a body that ends before a
 * finishReason was cut off.
 */
class GeminiStreamDecoder implements StreamDecoder {
  readonly #parser = new SseParser();
  #state: 'open' | 'finished' | 'failed' = 'open';
  #started = false;
  #responseId = '';
  #toolCallCount = 0;
  #lastUsage = '';

  push(chunk: Uint8Array): StreamEvent[] {
    return this.#state === 'failed' ? [] : this.#handleAll(this.#parser.push(chunk));
  }

  end(): StreamEvent[] {
    if (this.#state === 'failed') return [];
    // What is left unterminated at the end is a chunk the connection cut, unless it parses whole.
    const events = this.#handleAll(this.#parser.end(), true);
    if (this.#state === 'open') {
      this.#state = 'failed';
      events.push({ type: 'error', code: 'upstream_stream_interrupted', message: 'The provider stream ended before its finishReason' });
    }
    return events;
  }

  #handleAll(messages: SseMessage[], atEnd = false): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const message of messages) {
      if (this.#state === 'failed') break;
      this.#handle(message.data, events, atEnd);
    }
    return events;
  }

  #fail(events: StreamEvent[], code: string, message: string): void {
    this.#state = 'failed';
    events.push({ type: 'error', code, message });
  }

  #handle(data: string, events: StreamEvent[], atEnd: boolean): void {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      if (atEnd) return this.#fail(events, 'upstream_stream_interrupted', 'The provider stream ended inside a chunk');
      return this.#fail(events, 'upstream_invalid_response', 'The provider sent a stream chunk that is not JSON');
    }
    const parsed = generateContentResponseSchema.safeParse(json);
    if (!parsed.success) return this.#fail(events, 'upstream_invalid_response', 'The provider sent a malformed stream chunk');
    const chunk = parsed.data;
    if (chunk.error !== undefined) {
      const error: GatewayError = decodeErrorObject(chunk.error.code ?? 500, chunk.error);
      return this.#fail(events, error.code, error.message);
    }
    this.#start(chunk, events);
    this.#usage(chunk, events);
    // Gemini sends nothing after the finish but, at most, usage; anything else is ignored.
    if (this.#state === 'finished') return;
    this.#content(chunk, events);
  }

  #start(chunk: GeminiGenerateContentResponse, events: StreamEvent[]): void {
    if (this.#started) return;
    this.#started = true;
    this.#responseId = chunk.responseId ?? `gemini-${randomUUID()}`;
    events.push({ type: 'stream-start', id: this.#responseId, model: chunk.modelVersion ?? '', created: createdSeconds(chunk.createTime) });
  }

  #usage(chunk: GeminiGenerateContentResponse, events: StreamEvent[]): void {
    if (chunk.usageMetadata === undefined) return;
    const usage: TokenUsage = decodeUsageMetadata(chunk.usageMetadata);
    const key = JSON.stringify(usage);
    if (key === this.#lastUsage) return;
    this.#lastUsage = key;
    events.push({ type: 'usage', usage });
  }

  #content(chunk: GeminiGenerateContentResponse, events: StreamEvent[]): void {
    const candidate = firstCandidate(chunk);
    for (const part of decodeCandidateParts(candidate, this.#responseId)) {
      if (part.type === 'text') events.push({ type: 'text-delta', text: part.text });
      else if (part.type === 'reasoning') {
        events.push(part.signature === undefined ? { type: 'reasoning-delta', text: part.text } : { type: 'reasoning-delta', text: part.text, signature: part.signature });
      } else {
        const index = this.#toolCallCount++;
        // Made-up ids are numbered by call across the whole stream, not by part within one chunk.
        const id = isSynthesizedToolCallId(part.id) ? synthesizeToolCallId(this.#responseId, index, part.name) : part.id;
        events.push({ type: 'tool-call-start', index, id, name: part.name });
        events.push({ type: 'tool-call-delta', index, argumentsDelta: part.arguments });
      }
    }
    const finishReason = candidate?.finishReason ?? (candidate === undefined ? chunk.promptFeedback?.blockReason : undefined);
    if (finishReason === undefined) return;
    this.#state = 'finished';
    events.push({
      type: 'finish',
      finishReason: candidate === undefined ? 'content-filter' : mapGeminiFinishReason(finishReason, this.#toolCallCount > 0),
      rawFinishReason: finishReason,
    });
  }
}

export const createStreamDecoder = (): StreamDecoder => new GeminiStreamDecoder();
