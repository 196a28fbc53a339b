import { errorCatalog, isErrorCode } from '../../core/errors/index.ts';
import type { FinishReason, JsonObject, StreamEvent, TokenUsage } from '../../core/model/index.ts';
import { formatSse } from '../shared/sse-parser.ts';
import type { StreamEncoder } from '../wire-format.ts';
import { mapFinishReasonToAnthropic } from './map-anthropic-stop-reason.ts';
import { encodeAnthropicUsage } from './map-anthropic-usage.ts';

interface OpenBlock {
  kind: 'text' | 'thinking' | 'tool';
  index: number;
  /** A thinking block ends with its signature; more reasoning after it starts a new block. */
  signed: boolean;
}

interface Finish {
  finishReason: FinishReason;
  rawFinishReason?: string;
  stopSequence?: string;
}

const event = (data: JsonObject): string => formatSse(JSON.stringify(data), String(data.type));

/**
 * Writes canonical events as Anthropic's stream (https://platform.claude.com/docs/en/build-with-claude/streaming):
 * `message_start`, one content block at a time (opened and closed as the canonical events switch
 * between text, reasoning and tool calls), then `message_delta` and `message_stop`.
 *
 * `message_start` carries the usage known when the first content arrives (0 when none is yet); the
 * totals go in `message_delta`, which Anthropic's SDKs read as overriding. `message_delta` is written
 * at the end, not at `finish`, because OpenAI-style upstreams report usage after their finish chunk.
 */
class AnthropicStreamEncoder implements StreamEncoder {
  #started = false;
  #pendingStart: { id: string; model: string } | undefined;
  #closed = false;
  #nextBlockIndex = 0;
  #open: OpenBlock | undefined;
  readonly #toolBlocks = new Map<number, number>();
  #usage: TokenUsage | undefined;
  #finish: Finish | undefined;

  encode(streamEvent: StreamEvent): string {
    if (this.#closed) return '';
    if (streamEvent.type === 'usage') {
      this.#usage = streamEvent.usage;
      return '';
    }
    if (streamEvent.type === 'error') return this.#error(streamEvent.code, streamEvent.message);
    if (this.#finish !== undefined) return ''; // nothing but usage may follow finish
    switch (streamEvent.type) {
      case 'stream-start':
        this.#pendingStart = { id: streamEvent.id, model: streamEvent.model };
        return '';
      case 'text-delta':
        return streamEvent.text === '' ? '' : this.#openBlock('text') + this.#delta({ type: 'text_delta', text: streamEvent.text });
      case 'reasoning-delta':
        return this.#reasoning(streamEvent.text, streamEvent.signature, streamEvent.redacted);
      case 'tool-call-start':
        return this.#toolStart(streamEvent.index, streamEvent.id, streamEvent.name);
      case 'tool-call-delta':
        return this.#toolDelta(streamEvent.index, streamEvent.argumentsDelta);
      case 'finish':
        this.#finish = streamEvent;
        return this.#start() + this.#closeBlock();
    }
  }

  end(): string {
    if (this.#closed) return '';
    if (this.#finish === undefined) return this.#error('upstream_stream_interrupted', 'The upstream stream ended before it finished');
    this.#closed = true;
    const { finishReason, rawFinishReason, stopSequence } = this.#finish;
    const usage: JsonObject = this.#usage === undefined ? { output_tokens: 0 } : { ...encodeAnthropicUsage(this.#usage) };
    return (
      this.#start() +
      this.#closeBlock() +
      event({
        type: 'message_delta',
        delta: { stop_reason: mapFinishReasonToAnthropic(finishReason, rawFinishReason, stopSequence), stop_sequence: stopSequence ?? null },
        usage,
      }) +
      event({ type: 'message_stop' })
    );
  }

  /**
   * Writes `message_start` once, with the first content rather than at `stream-start`, so that usage
   * an upstream reports right away (Anthropic does) is in it. Events that arrive without a
   * `stream-start` still get one.
   */
  #start(): string {
    if (this.#started) return '';
    this.#started = true;
    const usage = this.#usage === undefined ? { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 } : { ...encodeAnthropicUsage(this.#usage) };
    return event({
      type: 'message_start',
      message: {
        id: this.#pendingStart?.id ?? `msg_${crypto.randomUUID().replaceAll('-', '')}`,
        type: 'message',
        role: 'assistant',
        model: this.#pendingStart?.model ?? 'unknown',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    });
  }

  #openBlock(kind: 'text' | 'thinking'): string {
    if (this.#open?.kind === kind && !this.#open.signed) return '';
    const index = this.#nextBlockIndex++;
    const written = this.#start() + this.#closeBlock();
    this.#open = { kind, index, signed: false };
    const contentBlock: JsonObject = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    return written + event({ type: 'content_block_start', index, content_block: contentBlock });
  }

  #closeBlock(): string {
    if (this.#open === undefined) return '';
    const { index } = this.#open;
    this.#open = undefined;
    return event({ type: 'content_block_stop', index });
  }

  #delta(delta: JsonObject, index = this.#open?.index ?? 0): string {
    return event({ type: 'content_block_delta', index, delta });
  }

  #reasoning(text: string, signature: string | undefined, redacted: string | undefined): string {
    if (redacted !== undefined) {
      const index = this.#nextBlockIndex++;
      const written = this.#start() + this.#closeBlock();
      return written + event({ type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data: redacted } }) + event({ type: 'content_block_stop', index });
    }
    if (text === '' && signature === undefined) return '';
    let written = this.#openBlock('thinking');
    if (text !== '') written += this.#delta({ type: 'thinking_delta', thinking: text });
    if (signature !== undefined && this.#open !== undefined) {
      written += this.#delta({ type: 'signature_delta', signature });
      this.#open.signed = true;
    }
    return written;
  }

  #toolStart(toolIndex: number, id: string, name: string): string {
    const index = this.#nextBlockIndex++;
    const written = this.#start() + this.#closeBlock();
    this.#open = { kind: 'tool', index, signed: false };
    this.#toolBlocks.set(toolIndex, index);
    return written + event({ type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } });
  }

  /**
   * Arguments go to their tool's block. No provider Bulwark speaks interleaves tool calls, but if one
   * did, a late delta still goes to its own (already stopped) block rather than being lost.
   */
  #toolDelta(toolIndex: number, argumentsDelta: string): string {
    const index = this.#toolBlocks.get(toolIndex);
    if (index === undefined || argumentsDelta === '') return '';
    return this.#delta({ type: 'input_json_delta', partial_json: argumentsDelta }, index);
  }

  /** Anthropic's in-stream error; nothing is written after it. */
  #error(code: string, message: string): string {
    this.#closed = true;
    const type = isErrorCode(code) ? errorCatalog[code].anthropicType : 'api_error';
    return event({ type: 'error', error: { type, message } });
  }
}

export const createAnthropicStreamEncoder = (): StreamEncoder => new AnthropicStreamEncoder();
