import { errorCatalog, isErrorCode } from '../../core/errors/index.ts';
import type { JsonObject, StreamEvent, TokenUsage } from '../../core/model/index.ts';
import { formatSse } from '../shared/sse-parser.ts';
import type { StreamEncoder } from '../wire-format.ts';
import { encodeErrorObject } from './encode-error.ts';
import { encodeFunctionCall } from './encode-model-parts.ts';
import { encodeUsageMetadata } from './gemini-usage.ts';
import { toGeminiFinishReason } from './map-gemini-finish-reason.ts';

type FinishEvent = Extract<StreamEvent, { type: 'finish' }>;
type ReasoningEvent = Extract<StreamEvent, { type: 'reasoning-delta' }>;

interface OpenToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/**
 * Writes canonical events as `streamGenerateContent?alt=sse`: one GenerateContentResponse per `data:`,
 * each with the usage known so far, the response id and the model version of `stream-start`.
 * Gemini sends function calls whole, so a call's argument deltas are held until the next event shows
 * the call complete. The finishReason goes in a last chunk, written by `end`, so usage that arrives
 * after the finish (OpenAI sends it so) still rides with it. A signature-only reasoning delta is held
 * for the next text or function call part, where Gemini carries signatures.
 */
class GeminiStreamEncoder implements StreamEncoder {
  #responseId = '';
  #modelVersion = '';
  #createTime = '';
  #usage: TokenUsage | undefined;
  #pendingSignature: string | undefined;
  #openCalls: OpenToolCall[] = [];
  #sawToolCall = false;
  #finish: FinishEvent | undefined;
  #closed = false;

  encode(event: StreamEvent): string {
    if (this.#closed) return '';
    switch (event.type) {
      case 'stream-start':
        this.#responseId = event.id;
        this.#modelVersion = event.model;
        this.#createTime = new Date(event.created * 1000).toISOString();
        return '';
      case 'text-delta':
        return this.#chunk([...this.#takeCalls(), this.#signed({ text: event.text })]);
      case 'reasoning-delta':
        return this.#reasoning(event);
      case 'tool-call-start': {
        const finished = this.#takeCalls();
        this.#openCalls.push({ index: event.index, id: event.id, name: event.name, arguments: '' });
        this.#sawToolCall = true;
        return this.#chunk(finished);
      }
      case 'tool-call-delta': {
        const call = this.#openCalls.find((open) => open.index === event.index);
        if (call !== undefined) call.arguments += event.argumentsDelta;
        return '';
      }
      case 'usage':
        this.#usage = event.usage;
        return '';
      case 'finish':
        this.#finish = event;
        return '';
      case 'error': {
        this.#closed = true;
        const status = isErrorCode(event.code) ? errorCatalog[event.code].status : 500;
        return formatSse(JSON.stringify({ error: encodeErrorObject(event.code, event.message, status) }));
      }
    }
  }

  end(): string {
    if (this.#closed) return '';
    this.#closed = true;
    const parts = this.#takeCalls();
    // Without a finish the stream was cut off: Gemini has no way to say so but to stop.
    if (this.#finish === undefined) return this.#chunk(parts);
    if (this.#pendingSignature !== undefined) parts.push(this.#signed({ text: '' }));
    // Gemini closes a stream with an empty text part beside the finishReason.
    if (parts.length === 0) parts.push({ text: '' });
    const { finishReason, rawFinishReason } = this.#finish;
    return this.#chunk(parts, toGeminiFinishReason(finishReason, rawFinishReason, this.#sawToolCall));
  }

  #reasoning(event: ReasoningEvent): string {
    const parts = this.#takeCalls();
    if (event.text === '') {
      if (event.signature === undefined) return this.#chunk(parts);
      // A signature already waiting keeps its place as a part of its own.
      if (this.#pendingSignature !== undefined) parts.push(this.#signed({ text: '' }));
      this.#pendingSignature = event.signature;
      return this.#chunk(parts);
    }
    if (this.#pendingSignature !== undefined) parts.push(this.#signed({ text: '' }));
    const thought: JsonObject = { text: event.text, thought: true };
    if (event.signature !== undefined) thought['thoughtSignature'] = event.signature;
    return this.#chunk([...parts, thought]);
  }

  #signed(part: JsonObject): JsonObject {
    const signature = this.#pendingSignature;
    this.#pendingSignature = undefined;
    return signature === undefined ? part : { ...part, thoughtSignature: signature };
  }

  #takeCalls(): JsonObject[] {
    const calls = this.#openCalls.map((call) => this.#signed({ functionCall: encodeFunctionCall(call.id, call.name, call.arguments) }));
    this.#openCalls = [];
    return calls;
  }

  #chunk(parts: JsonObject[], finishReason?: string): string {
    if (parts.length === 0) return '';
    const candidate: JsonObject = { content: { parts, role: 'model' }, index: 0 };
    if (finishReason !== undefined) candidate['finishReason'] = finishReason;
    const chunk: JsonObject = { candidates: [candidate] };
    if (this.#usage !== undefined) chunk['usageMetadata'] = encodeUsageMetadata(this.#usage);
    if (this.#modelVersion !== '') chunk['modelVersion'] = this.#modelVersion;
    if (this.#createTime !== '') chunk['createTime'] = this.#createTime;
    chunk['responseId'] = this.#responseId;
    return formatSse(JSON.stringify(chunk));
  }
}

export const createStreamEncoder = (): StreamEncoder => new GeminiStreamEncoder();
