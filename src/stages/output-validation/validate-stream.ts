import type { AssistantContentPart, ChatRequest, ChatResult, StreamEvent, ToolCallPart } from '../../core/model/index.ts';
import type { OutputValidationRules } from './compile-output-validation-rules.ts';
import type { SchemaValidatorCache } from './schema-validator-cache.ts';
import { validateResult } from './validate-result.ts';
import { isPolicyFailure, type ValidationFailure } from './validation-failure.ts';

export interface StreamValidation {
  request: ChatRequest;
  rules: OutputValidationRules;
  schemas: SchemaValidatorCache;
  /** Called once, when the stream's `finish` shows that the answer failed validation. */
  onFailure: (failure: ValidationFailure) => void;
  /** Called once, when the stream's `finish` shows that the answer passed. */
  onPassed?: () => void;
}

const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * Passes a stream through while gathering what it says, and validates the whole answer at `finish`,
 * the first moment it can be judged. By then the text has reached the caller, so nothing can be asked
 * again: a failure is reported, and the stream is left as it is, except for a policy failure (too long,
 * prohibited content), whose `finish` becomes an `error` event so the caller knows not to use the answer.
 * That error is held back until the source ends, letting a trailing `usage` event through first, because
 * nothing may follow an error and the usage is what the call is billed on.
 *
 * A plain iterator like the stream meter's, not an async generator: it sits on every event's path, and
 * it must close the source even when the consumer stops before reading (the upstream response is open).
 */
class ValidatedStream implements AsyncIterableIterator<StreamEvent, undefined> {
  readonly #source: AsyncIterable<StreamEvent>;
  readonly #validation: StreamValidation;
  #iterator: AsyncIterator<StreamEvent> | undefined;
  #start: { id: string; model: string; created: number } = { id: '', model: '', created: 0 };
  #text = '';
  #reasoning = '';
  readonly #toolCalls: ToolCallPart[] = [];
  /** The error that replaces a failed answer's `finish`, handed out when the source ends. */
  #withheldError: StreamEvent | undefined;
  #done = false;

  constructor(source: AsyncIterable<StreamEvent>, validation: StreamValidation) {
    this.#source = source;
    this.#validation = validation;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StreamEvent, undefined>> {
    while (!this.#done) {
      this.#iterator ??= this.#source[Symbol.asyncIterator]();
      const result = await this.#iterator.next();
      if (result.done === true) {
        this.#done = true;
        const withheld = this.#withheldError;
        return withheld === undefined ? finished : { done: false, value: withheld };
      }
      const event = result.value;
      // After a withheld error only usage may pass: the answer has ended.
      if (this.#withheldError !== undefined) {
        if (event.type === 'usage') return result;
        continue;
      }
      this.#observe(event);
      if (event.type !== 'finish') return result;
      const failure = validateResult(this.#validation.request, this.#result(event.finishReason), this.#validation.rules, this.#validation.schemas);
      if (failure === undefined) {
        this.#validation.onPassed?.();
        return result;
      }
      this.#validation.onFailure(failure);
      if (!isPolicyFailure(failure)) return result;
      this.#withheldError = { type: 'error', code: 'upstream_invalid_output', message: `The answer was withdrawn: ${failure.message}` };
    }
    return finished;
  }

  /** The consumer stopped reading: close the source too, also when it was never read. */
  async return(): Promise<IteratorResult<StreamEvent, undefined>> {
    if (this.#done) return finished;
    this.#done = true;
    await (this.#iterator ?? this.#source[Symbol.asyncIterator]()).return?.();
    return finished;
  }

  #observe(event: StreamEvent): void {
    switch (event.type) {
      case 'stream-start':
        this.#start = { id: event.id, model: event.model, created: event.created };
        break;
      case 'text-delta':
        this.#text += event.text;
        break;
      case 'reasoning-delta':
        this.#reasoning += event.text;
        break;
      case 'tool-call-start':
        this.#toolCalls[event.index] = { type: 'tool-call', id: event.id, name: event.name, arguments: '' };
        break;
      case 'tool-call-delta': {
        const call = this.#toolCalls[event.index];
        if (call !== undefined) call.arguments += event.argumentsDelta;
        break;
      }
      default:
        break;
    }
  }

  #result(finishReason: ChatResult['finishReason']): ChatResult {
    const content: AssistantContentPart[] = [];
    if (this.#reasoning !== '') content.push({ type: 'reasoning', text: this.#reasoning });
    if (this.#text !== '') content.push({ type: 'text', text: this.#text });
    for (const call of this.#toolCalls) if (call !== undefined) content.push(call);
    return { ...this.#start, content, finishReason, usage: { inputTokens: 0, outputTokens: 0 } };
  }
}

export const validateStream = (source: AsyncIterable<StreamEvent>, validation: StreamValidation): AsyncIterableIterator<StreamEvent, undefined> =>
  new ValidatedStream(source, validation);
