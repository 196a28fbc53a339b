import type { z } from 'zod';
import type { ErrorCode } from '../../core/errors/index.ts';
import type { StreamEvent } from '../../core/model/index.ts';
import { SseParser, type SseMessage } from '../shared/sse-parser.ts';
import type { StreamDecoder } from '../wire-format.ts';
import { mapAnthropicErrorType } from './map-anthropic-error-type.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { decodeAnthropicUsage, type AnthropicUsageCounters } from './map-anthropic-usage.ts';
import {
  contentBlockDeltaEventSchema,
  contentBlockStartEventSchema,
  contentBlockStopEventSchema,
  errorBodySchema,
  isKnownResultBlockType,
  knownDeltaTypes,
  messageDeltaEventSchema,
  messageStartEventSchema,
  streamedBlockSchema,
  streamedDeltaSchema,
} from './response-schemas.ts';

/** What an open Anthropic content block is, and for tool blocks which canonical tool call it is. */
type Block = { kind: 'text' } | { kind: 'thinking' } | { kind: 'tool'; toolIndex: number } | { kind: 'ignored' };

type Phase = 'before-start' | 'streaming' | 'done';

/**
 * Decodes Anthropic's server-sent events (https://platform.claude.com/docs/en/build-with-claude/streaming)
 * into canonical events. Anthropic numbers content blocks across text, thinking and tool use; canonical
 * tool calls are numbered among themselves (0, 1, ...). `finish` is emitted at `message_stop`, so a
 * body that ends before it is reported as interrupted, never as a clean end.
 */
class AnthropicStreamDecoder implements StreamDecoder {
  readonly #parser = new SseParser();
  readonly #blocks = new Map<number, Block>();
  #phase: Phase = 'before-start';
  #nextToolIndex = 0;
  #usage: AnthropicUsageCounters = {};
  #stopReason: string | undefined;
  #stopSequence: string | undefined;

  push(chunk: Uint8Array): StreamEvent[] {
    return this.#phase === 'done' ? [] : this.#handleAll(this.#parser.push(chunk));
  }

  end(): StreamEvent[] {
    if (this.#phase === 'done') return [];
    const events = this.#handleAll(this.#parser.end());
    if (!this.#isDone()) this.#fail(events, 'upstream_stream_interrupted', 'The Anthropic stream ended before message_stop');
    return events;
  }

  /** A method, not a field read, because handling events moves the phase on. */
  #isDone(): boolean {
    return this.#phase === 'done';
  }

  #handleAll(messages: SseMessage[]): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const message of messages) {
      if (this.#phase === 'done') break;
      this.#handle(message, events);
    }
    return events;
  }

  #handle(message: SseMessage, events: StreamEvent[]): void {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      this.#fail(events, 'upstream_invalid_response', `The Anthropic stream's ${message.event ?? 'unnamed'} event is not JSON`);
      return;
    }
    const declared = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
    const type = typeof declared === 'string' ? declared : message.event;
    if (type === 'error') return this.#onError(data, events);
    if (type === 'message_start') return this.#onMessageStart(data, events);
    if (type === undefined || !streamedEventTypes.has(type)) return; // ping, and event types newer than this codec
    if (this.#phase === 'before-start') return this.#fail(events, 'upstream_invalid_response', `The Anthropic stream sent ${type} before message_start`);
    if (type === 'content_block_start') this.#onBlockStart(data, events);
    else if (type === 'content_block_delta') this.#onBlockDelta(data, events);
    else if (type === 'content_block_stop') this.#onBlockStop(data, events);
    else if (type === 'message_delta') this.#onMessageDelta(data, events);
    else this.#onMessageStop(events);
  }

  #onMessageStart(data: unknown, events: StreamEvent[]): void {
    const event = this.#parse(messageStartEventSchema, data, events);
    if (event === undefined) return;
    if (this.#phase !== 'before-start') return this.#fail(events, 'upstream_invalid_response', 'The Anthropic stream sent a second message_start');
    this.#phase = 'streaming';
    events.push({ type: 'stream-start', id: event.message.id, model: event.message.model, created: Math.floor(Date.now() / 1000) });
    const usage = event.message.usage;
    if (usage === null || usage === undefined) return;
    this.#usage = { ...usage };
    events.push({ type: 'usage', usage: decodeAnthropicUsage(this.#usage) });
  }

  #onBlockStart(data: unknown, events: StreamEvent[]): void {
    const event = this.#parse(contentBlockStartEventSchema, data, events);
    if (event === undefined) return;
    if (!isKnownResultBlockType(event.content_block.type)) {
      this.#blocks.set(event.index, { kind: 'ignored' });
      return;
    }
    const block = this.#parse(streamedBlockSchema, event.content_block, events);
    if (block === undefined) return;
    switch (block.type) {
      case 'text':
        this.#blocks.set(event.index, { kind: 'text' });
        if (block.text !== '') events.push({ type: 'text-delta', text: block.text });
        return;
      case 'thinking':
        this.#blocks.set(event.index, { kind: 'thinking' });
        if (block.thinking !== '') events.push({ type: 'reasoning-delta', text: block.thinking });
        if (typeof block.signature === 'string' && block.signature !== '') events.push({ type: 'reasoning-delta', text: '', signature: block.signature });
        return;
      case 'redacted_thinking':
        this.#blocks.set(event.index, { kind: 'ignored' });
        events.push({ type: 'reasoning-delta', text: '', redacted: block.data });
        return;
      case 'tool_use': {
        const toolIndex = this.#nextToolIndex++;
        this.#blocks.set(event.index, { kind: 'tool', toolIndex });
        events.push({ type: 'tool-call-start', index: toolIndex, id: block.id, name: block.name });
        // Anthropic starts tool blocks with `input: {}` and streams the JSON; a non-empty one is whole.
        if (block.input !== null && block.input !== undefined && Object.keys(block.input).length > 0) {
          events.push({ type: 'tool-call-delta', index: toolIndex, argumentsDelta: JSON.stringify(block.input) });
        }
      }
    }
  }

  #onBlockDelta(data: unknown, events: StreamEvent[]): void {
    const event = this.#parse(contentBlockDeltaEventSchema, data, events);
    if (event === undefined) return;
    const block = this.#blocks.get(event.index);
    if (block === undefined) return this.#fail(events, 'upstream_invalid_response', `The Anthropic stream sent a delta for content block ${event.index}, which is not open`);
    if (block.kind === 'ignored' || !knownDeltaTypes.has(event.delta.type)) return;
    const delta = this.#parse(streamedDeltaSchema, event.delta, events);
    if (delta === undefined) return;
    const mismatch = (): void => this.#fail(events, 'upstream_invalid_response', `The Anthropic stream sent a ${delta.type} for a ${block.kind} block`);
    switch (delta.type) {
      case 'text_delta':
        if (block.kind !== 'text') return mismatch();
        if (delta.text !== '') events.push({ type: 'text-delta', text: delta.text });
        return;
      case 'thinking_delta':
        if (block.kind !== 'thinking') return mismatch();
        if (delta.thinking !== '') events.push({ type: 'reasoning-delta', text: delta.thinking });
        return;
      case 'signature_delta':
        if (block.kind !== 'thinking') return mismatch();
        events.push({ type: 'reasoning-delta', text: '', signature: delta.signature });
        return;
      case 'input_json_delta':
        if (block.kind !== 'tool') return mismatch();
        if (delta.partial_json !== '') events.push({ type: 'tool-call-delta', index: block.toolIndex, argumentsDelta: delta.partial_json });
    }
  }

  #onBlockStop(data: unknown, events: StreamEvent[]): void {
    const event = this.#parse(contentBlockStopEventSchema, data, events);
    if (event !== undefined) this.#blocks.delete(event.index);
  }

  #onMessageDelta(data: unknown, events: StreamEvent[]): void {
    const event = this.#parse(messageDeltaEventSchema, data, events);
    if (event === undefined) return;
    if (typeof event.delta.stop_reason === 'string') this.#stopReason = event.delta.stop_reason;
    if (typeof event.delta.stop_sequence === 'string') this.#stopSequence = event.delta.stop_sequence;
    const usage = event.usage;
    if (usage === null || usage === undefined) return;
    // Totals, not increments: present counters replace what message_start said.
    for (const [key, value] of Object.entries(usage)) {
      if (value !== null && value !== undefined) this.#usage = { ...this.#usage, [key]: value };
    }
    events.push({ type: 'usage', usage: decodeAnthropicUsage(this.#usage) });
  }

  #onMessageStop(events: StreamEvent[]): void {
    const finish: StreamEvent = { type: 'finish', finishReason: mapAnthropicStopReason(this.#stopReason) };
    if (this.#stopReason !== undefined) finish.rawFinishReason = this.#stopReason;
    if (this.#stopSequence !== undefined) finish.stopSequence = this.#stopSequence;
    events.push(finish);
    this.#phase = 'done';
  }

  #onError(data: unknown, events: StreamEvent[]): void {
    const parsed = errorBodySchema.safeParse(data);
    if (!parsed.success) return this.#fail(events, 'upstream_server_error', 'The Anthropic stream reported an error it did not describe');
    const { type, message } = parsed.data.error;
    this.#fail(events, mapAnthropicErrorType(type, message) ?? 'upstream_server_error', message === '' ? type : message);
  }

  #parse<Schema extends z.ZodType>(schema: Schema, data: unknown, events: StreamEvent[]): z.output<Schema> | undefined {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
    this.#fail(events, 'upstream_invalid_response', `The Anthropic stream sent a malformed event${where}: ${issue?.message ?? 'invalid'}`);
    return undefined;
  }

  #fail(events: StreamEvent[], code: ErrorCode, message: string): void {
    events.push({ type: 'error', code, message });
    this.#phase = 'done';
  }
}

const streamedEventTypes: ReadonlySet<string> = new Set(['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);

export const createAnthropicStreamDecoder = (): StreamDecoder => new AnthropicStreamDecoder();
