import { randomUUID } from 'node:crypto';
import { errorCatalog, isErrorCode } from '../../core/errors/index.ts';
import type { ChatRequest, JsonObject, JsonValue, StreamEvent, TokenUsage } from '../../core/model/index.ts';
import { formatSse } from '../shared/sse-parser.ts';
import type { StreamEncoder } from '../wire-format.ts';
import { formatName } from './decode-request.ts';
import { toOpenaiFinishReason } from './map-openai-finish-reason.ts';
import { encodeOpenaiUsage } from './openai-usage.ts';

/**
 * Canonical stream events as OpenAI's streamed chat completion: `chat.completion.chunk`s, a usage
 * chunk with empty `choices` when the caller set `stream_options.include_usage`, then `data: [DONE]`.
 * https://platform.openai.com/docs/api-reference/chat/streaming
 */

const field = (value: JsonValue | undefined, key: string): JsonValue | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;

/** Whether the caller asked for the usage chunk (it lives in the caller's own options). */
export const wantsUsageChunk = (request: ChatRequest): boolean =>
  field(field(request.providerOptions?.[formatName], 'stream_options'), 'include_usage') === true;

class OpenaiChatStreamEncoder implements StreamEncoder {
  readonly #includeUsage: boolean;
  #id = `chatcmpl-${randomUUID()}`;
  #model = '';
  #created = Math.floor(Date.now() / 1000);
  #roleSent = false;
  #failed = false;
  #usage: TokenUsage | undefined;
  #prefix: string | undefined;

  constructor(includeUsage: boolean) {
    this.#includeUsage = includeUsage;
  }

  encode(event: StreamEvent): string {
    if (this.#failed) return '';
    switch (event.type) {
      case 'stream-start':
        this.#id = event.id;
        this.#model = event.model;
        this.#created = event.created;
        this.#prefix = undefined;
        return this.#chunk({ content: '' });
      case 'text-delta':
        return event.text === '' ? '' : this.#chunk({ content: event.text });
      case 'reasoning-delta':
        // Signature-only deltas (Anthropic) have nothing an OpenAI client could show.
        return event.text === '' ? '' : this.#chunk({ reasoning_content: event.text });
      case 'tool-call-start':
        return this.#chunk({
          tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }],
        });
      case 'tool-call-delta':
        return this.#chunk({ tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] });
      case 'usage':
        // Usage is cumulative and OpenAI sends it once, after the finish chunk: keep the latest for end().
        this.#usage = event.usage;
        return '';
      case 'finish':
        return this.#chunk({}, toOpenaiFinishReason(event.finishReason, event.rawFinishReason));
      case 'error':
        this.#failed = true;
        return formatSse(JSON.stringify({ error: { message: event.message, type: this.#errorType(event.code), code: event.code } }));
    }
  }

  end(): string {
    // After an in-stream error OpenAI sends nothing more; a [DONE] would tell clients the answer was whole.
    if (this.#failed) return '';
    const usage = this.#includeUsage && this.#usage !== undefined ? formatSse(JSON.stringify(this.#envelope([], encodeOpenaiUsage(this.#usage)))) : '';
    return `${usage}data: [DONE]\n\n`;
  }

  #errorType(code: string): string {
    return isErrorCode(code) ? errorCatalog[code].openaiType : 'server_error';
  }

  /** `{"id":…,"object":…,"created":…,"model":…,"choices":[`: the same for every chunk, so serialized once. */
  #chunkPrefix(): string {
    this.#prefix ??= `{"id":${JSON.stringify(this.#id)},"object":"chat.completion.chunk","created":${JSON.stringify(this.#created)},"model":${JSON.stringify(this.#model)},"choices":[`;
    return this.#prefix;
  }

  #envelope(choices: JsonObject[], usage: JsonObject | null): JsonObject {
    const chunk: JsonObject = { id: this.#id, object: 'chat.completion.chunk', created: this.#created, model: this.#model, choices };
    // With include_usage, OpenAI gives every chunk a `usage` field, null until the last one.
    if (this.#includeUsage) chunk['usage'] = usage;
    return chunk;
  }

  #chunk(delta: JsonObject, finishReason: string | null = null): string {
    if (!this.#roleSent) {
      this.#roleSent = true;
      delta = { role: 'assistant', ...delta };
    }
    // Byte for byte what JSON.stringify(this.#envelope(...)) gives, without re-serializing the envelope.
    const choice = JSON.stringify({ index: 0, delta, logprobs: null, finish_reason: finishReason });
    return formatSse(`${this.#chunkPrefix()}${choice}]${this.#includeUsage ? ',"usage":null' : ''}}`);
  }
}

export const createStreamEncoder = (request: ChatRequest): StreamEncoder => new OpenaiChatStreamEncoder(wantsUsageChunk(request));
