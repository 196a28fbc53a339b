import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../core/errors/index.ts';
import type { StreamEvent } from '../../core/model/index.ts';
import type { StreamDecoder } from '../wire-format.ts';
import { jsonResponseToolName, type StructuredOutputMode } from './bedrock-converse-options.ts';
import { stopSequenceOf } from './decode-result.ts';
import { definedProperties } from './defined-properties.ts';
import { EventStreamFrameError, EventStreamFrameReader, type EventStreamFrame } from './event-stream-framing.ts';
import { mapBedrockErrorType } from './map-bedrock-error-type.ts';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';
import { errorBodySchema, streamPayloadSchemas, type BedrockStreamEventType } from './schemas.ts';

/**
 * Turns a ConverseStream body (binary AWS event stream, not SSE) into canonical events.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html#API_runtime_ConverseStream_ResponseSyntax
 *
 * Frames carry `:message-type` `event` (with `:event-type` messageStart, contentBlockStart,
 * contentBlockDelta, contentBlockStop, messageStop, metadata) or `exception` (with `:exception-type`,
 * e.g. throttlingException, and a `{"message"}` payload). Usage comes in `metadata`, after
 * `messageStop`; the decoder holds the finish until both have arrived and emits `usage` then `finish`,
 * so a body cut off before either ends in `upstream_stream_interrupted` rather than a clean finish.
 * Tool calls are numbered among themselves, whatever their content-block index.
 */
export class BedrockStreamDecoder implements StreamDecoder {
  readonly #reader = new EventStreamFrameReader();
  readonly #structuredOutput: StructuredOutputMode;
  readonly #blocks = new Map<number, { kind: 'tool-call'; index: number } | { kind: 'answer-text' }>();
  #started = false;
  #closed = false;
  #toolCallCount = 0;
  #usageSeen = false;
  #pendingFinish: StreamEvent | undefined;
  #finished = false;

  constructor(structuredOutput: StructuredOutputMode = 'native') {
    this.#structuredOutput = structuredOutput;
  }

  push(chunk: Uint8Array): StreamEvent[] {
    if (this.#closed) return [];
    const events: StreamEvent[] = [];
    let frames: EventStreamFrame[];
    try {
      frames = this.#reader.push(chunk);
    } catch (error) {
      if (!(error instanceof EventStreamFrameError)) throw error;
      return this.#fail(events, 'upstream_invalid_response', `Bedrock sent a corrupt event-stream frame: ${error.message}`);
    }
    for (const frame of frames) {
      this.#handleFrame(frame, events);
      if (this.#closed) break;
    }
    return events;
  }

  end(): StreamEvent[] {
    if (this.#closed || this.#finished) return [];
    const missing = this.#reader.hasPartialFrame
      ? 'in the middle of an event-stream frame'
      : this.#pendingFinish === undefined
        ? 'before messageStop'
        : 'before its metadata (usage) event';
    return this.#fail([], 'upstream_stream_interrupted', `The Bedrock stream ended ${missing}`);
  }

  #fail(events: StreamEvent[], code: ErrorCode, message: string): StreamEvent[] {
    this.#closed = true;
    events.push({ type: 'error', code, message });
    return events;
  }

  #handleFrame(frame: EventStreamFrame, events: StreamEvent[]): void {
    const messageType = frame.headers[':message-type'] ?? 'event';
    if (messageType === 'exception' || messageType === 'error') return this.#handleException(frame, messageType, events);
    const eventType = frame.headers[':event-type'];
    if (eventType === undefined || !Object.hasOwn(streamPayloadSchemas, eventType)) return; // A newer event: skip it.
    const payload = this.#parsePayload(frame, eventType as BedrockStreamEventType, events);
    if (payload === undefined) return;
    if (!this.#started) {
      this.#started = true;
      events.push({ type: 'stream-start', id: randomUUID(), model: '', created: Math.floor(Date.now() / 1000) });
    }
    this.#handleEvent(payload, events);
  }

  #handleException(frame: EventStreamFrame, messageType: string, events: StreamEvent[]): void {
    const body = errorBodySchema.safeParse(parseJson(frame.payload));
    const fields = body.success ? body.data : {};
    const type = messageType === 'error' ? frame.headers[':error-code'] : frame.headers[':exception-type'];
    const message = fields.message ?? fields.Message ?? frame.headers[':error-message'] ?? 'Bedrock reported an error in the stream';
    this.#fail(events, mapBedrockErrorType(type ?? 'internalServerException', message), `Bedrock ${type ?? 'error'}: ${message}`);
  }

  #parsePayload(frame: EventStreamFrame, eventType: BedrockStreamEventType, events: StreamEvent[]): ParsedEvent | undefined {
    const parsed = streamPayloadSchemas[eventType].safeParse(parseJson(frame.payload));
    if (parsed.success) return { eventType, payload: parsed.data } as ParsedEvent;
    this.#fail(events, 'upstream_invalid_response', `Bedrock sent a malformed ${eventType} event`);
    return undefined;
  }

  #handleEvent(event: ParsedEvent, events: StreamEvent[]): void {
    switch (event.eventType) {
      case 'contentBlockStart':
        return this.#startBlock(event.payload, events);
      case 'contentBlockDelta':
        return this.#handleDelta(event.payload, events);
      case 'messageStop': {
        const finishReason = mapBedrockStopReason(event.payload.stopReason);
        const answeredByTool = finishReason === 'tool-calls' && this.#toolCallCount === 0;
        this.#pendingFinish = definedProperties<StreamEvent>({
          type: 'finish',
          finishReason: answeredByTool ? 'stop' : finishReason,
          rawFinishReason: event.payload.stopReason,
          stopSequence: stopSequenceOf(event.payload.additionalModelResponseFields),
        });
        return this.#emitFinishWhenComplete(events);
      }
      case 'metadata':
        this.#usageSeen = true;
        events.push({ type: 'usage', usage: mapBedrockUsage(event.payload.usage) });
        return this.#emitFinishWhenComplete(events);
      default:
        return; // messageStart and contentBlockStop carry nothing canonical.
    }
  }

  #emitFinishWhenComplete(events: StreamEvent[]): void {
    if (!this.#usageSeen || this.#pendingFinish === undefined || this.#finished) return;
    this.#finished = true;
    events.push(this.#pendingFinish);
  }

  #startBlock(payload: StreamPayload<'contentBlockStart'>, events: StreamEvent[]): void {
    const toolUse = payload.start.toolUse;
    if (toolUse === undefined) return;
    if (this.#structuredOutput === 'tool' && toolUse.name === jsonResponseToolName) {
      this.#blocks.set(payload.contentBlockIndex, { kind: 'answer-text' });
      return;
    }
    const index = this.#toolCallCount++;
    this.#blocks.set(payload.contentBlockIndex, { kind: 'tool-call', index });
    events.push({ type: 'tool-call-start', index, id: toolUse.toolUseId, name: toolUse.name });
  }

  #handleDelta(payload: StreamPayload<'contentBlockDelta'>, events: StreamEvent[]): void {
    const { delta } = payload;
    if (delta.text !== undefined && delta.text !== '') events.push({ type: 'text-delta', text: delta.text });
    const reasoning = delta.reasoningContent;
    if (reasoning !== undefined && (reasoning.text || reasoning.signature !== undefined || reasoning.redactedContent !== undefined)) {
      events.push(
        definedProperties<StreamEvent>({ type: 'reasoning-delta', text: reasoning.text ?? '', signature: reasoning.signature, redacted: reasoning.redactedContent }),
      );
    }
    if (delta.toolUse === undefined) return;
    const block = this.#blocks.get(payload.contentBlockIndex);
    if (block === undefined) {
      this.#fail(events, 'upstream_invalid_response', `Bedrock sent tool input for content block ${payload.contentBlockIndex} before its contentBlockStart`);
    } else if (block.kind === 'answer-text') {
      if (delta.toolUse.input !== '') events.push({ type: 'text-delta', text: delta.toolUse.input });
    } else if (delta.toolUse.input !== '') {
      events.push({ type: 'tool-call-delta', index: block.index, argumentsDelta: delta.toolUse.input });
    }
  }
}

type StreamPayload<Type extends BedrockStreamEventType> = ReturnType<(typeof streamPayloadSchemas)[Type]['parse']>;

type ParsedEvent = { [Type in BedrockStreamEventType]: { eventType: Type; payload: StreamPayload<Type> } }[BedrockStreamEventType];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A frame payload as JSON; undefined (and so a schema failure) when it is not UTF-8 JSON. */
const parseJson = (payload: Uint8Array): unknown => {
  try {
    return JSON.parse(utf8.decode(payload));
  } catch {
    return undefined;
  }
};
