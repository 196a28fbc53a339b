import { isErrorCode, errorCatalog, type ErrorCode } from '../../core/errors/index.ts';
import type { JsonObject, StreamEvent, TokenUsage } from '../../core/model/index.ts';
import type { StreamEncoder } from '../wire-format.ts';
import { definedJson } from './defined-properties.ts';
import { encodeEventStreamFrame } from './event-stream-framing.ts';
import { bedrockStopReasonFor } from './map-bedrock-stop-reason.ts';
import { toBedrockUsage } from './map-bedrock-usage.ts';

/**
 * Writes canonical events as a ConverseStream body: binary event-stream frames, as a Bedrock SDK reads
 * them. https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html
 *
 * Like Bedrock, text and reasoning blocks start with their first delta and only tool uses get a
 * `contentBlockStart`. `metadata` (usage) follows `messageStop` and is written by `end()`, since the
 * canonical `usage` event may come after `finish`. An `error` event becomes an exception frame.
 */
export class BedrockStreamEncoder implements StreamEncoder {
  readonly #startedAt = Date.now();
  #started = false;
  #blockIndex = -1;
  #openBlock: 'text' | 'reasoning' | 'tool' | undefined;
  readonly #toolBlocks = new Map<number, number>();
  #usage: TokenUsage | undefined;
  #finished = false;
  #failed = false;

  encode(event: StreamEvent): Uint8Array {
    if (this.#failed) return new Uint8Array(0);
    const frames: Uint8Array[] = [];
    if (!this.#started && event.type !== 'usage') {
      this.#started = true;
      frames.push(eventFrame('messageStart', { role: 'assistant' }));
    }
    this.#encodeEvent(event, frames);
    return concatenate(frames);
  }

  end(): Uint8Array {
    if (this.#failed || !this.#finished) return new Uint8Array(0);
    const usage = toBedrockUsage(this.#usage ?? { inputTokens: 0, outputTokens: 0 });
    return eventFrame('metadata', { usage: definedJson({ ...usage }), metrics: { latencyMs: Date.now() - this.#startedAt } });
  }

  #encodeEvent(event: StreamEvent, frames: Uint8Array[]): void {
    switch (event.type) {
      case 'stream-start':
        return;
      case 'text-delta':
        this.#enterBlock('text', frames);
        frames.push(this.#delta(this.#blockIndex, { text: event.text }));
        return;
      case 'reasoning-delta':
        return this.#encodeReasoning(event, frames);
      case 'tool-call-start':
        this.#closeBlock(frames);
        this.#blockIndex += 1;
        this.#openBlock = 'tool';
        this.#toolBlocks.set(event.index, this.#blockIndex);
        frames.push(
          eventFrame('contentBlockStart', { contentBlockIndex: this.#blockIndex, start: { toolUse: { toolUseId: event.id, name: event.name } } }),
        );
        return;
      case 'tool-call-delta': {
        const blockIndex = this.#toolBlocks.get(event.index);
        if (blockIndex !== undefined) frames.push(this.#delta(blockIndex, { toolUse: { input: event.argumentsDelta } }));
        return;
      }
      case 'usage':
        this.#usage = event.usage;
        return;
      case 'finish': {
        this.#closeBlock(frames);
        this.#finished = true;
        const stopReason = bedrockStopReasonFor(event.finishReason, event.rawFinishReason, event.stopSequence);
        const fields = event.stopSequence === undefined ? undefined : { stop_sequence: event.stopSequence };
        frames.push(eventFrame('messageStop', definedJson({ stopReason, additionalModelResponseFields: fields })));
        return;
      }
      case 'error':
        this.#failed = true;
        frames.push(exceptionFrame(event.code, event.message));
        return;
    }
  }

  #encodeReasoning(event: Extract<StreamEvent, { type: 'reasoning-delta' }>, frames: Uint8Array[]): void {
    this.#enterBlock('reasoning', frames);
    if (event.text !== '') frames.push(this.#delta(this.#blockIndex, { reasoningContent: { text: event.text } }));
    if (event.signature !== undefined) frames.push(this.#delta(this.#blockIndex, { reasoningContent: { signature: event.signature } }));
    if (event.redacted !== undefined) frames.push(this.#delta(this.#blockIndex, { reasoningContent: { redactedContent: event.redacted } }));
  }

  #enterBlock(kind: 'text' | 'reasoning', frames: Uint8Array[]): void {
    if (this.#openBlock === kind) return;
    this.#closeBlock(frames);
    this.#blockIndex += 1;
    this.#openBlock = kind;
  }

  #closeBlock(frames: Uint8Array[]): void {
    if (this.#openBlock === undefined) return;
    frames.push(eventFrame('contentBlockStop', { contentBlockIndex: this.#blockIndex }));
    this.#openBlock = undefined;
  }

  #delta(blockIndex: number, delta: JsonObject): Uint8Array {
    return eventFrame('contentBlockDelta', { contentBlockIndex: blockIndex, delta });
  }
}

const encoder = new TextEncoder();

const eventFrame = (eventType: string, payload: JsonObject): Uint8Array =>
  encodeEventStreamFrame(
    { ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' },
    encoder.encode(JSON.stringify(payload)),
  );

/** The ConverseStream exception for a canonical error: only these five exist in the stream. */
const streamExceptionTypeFor = (code: string): string => {
  if (code === 'upstream_rate_limited') return 'throttlingException';
  if (code === 'upstream_overloaded') return 'serviceUnavailableException';
  if (!isErrorCode(code)) return 'internalServerException';
  const errorCode: ErrorCode = code;
  if (errorCatalog[errorCode].status < 500) return 'validationException';
  return errorCode.startsWith('upstream_') ? 'modelStreamErrorException' : 'internalServerException';
};

const exceptionFrame = (code: string, message: string): Uint8Array =>
  encodeEventStreamFrame(
    { ':exception-type': streamExceptionTypeFor(code), ':content-type': 'application/json', ':message-type': 'exception' },
    encoder.encode(JSON.stringify({ message })),
  );

const concatenate = (frames: Uint8Array[]): Uint8Array => {
  if (frames.length === 1 && frames[0] !== undefined) return frames[0];
  const total = frames.reduce((sum, frame) => sum + frame.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const frame of frames) {
    bytes.set(frame, offset);
    offset += frame.length;
  }
  return bytes;
};
