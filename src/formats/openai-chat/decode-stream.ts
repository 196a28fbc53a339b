import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../core/errors/index.ts';
import type { StreamEvent } from '../../core/model/index.ts';
import { parseJsonLoosely } from '../shared/classify-upstream-status.ts';
import { formatIssuePath } from '../shared/parse-with-schema.ts';
import { SseParser, type SseMessage } from '../shared/sse-parser.ts';
import type { StreamDecoder } from '../wire-format.ts';
import { classifyOpenaiError, describeUpstreamError, findErrorDetails } from './decode-error.ts';
import { fastChunkShape } from './fast-response-shape.ts';
import { mapOpenaiFinishReason } from './map-openai-finish-reason.ts';
import { decodeOpenaiUsage } from './openai-usage.ts';
import { chatCompletionChunkSchema, type ChatCompletionChunk, type ChunkDelta } from './response-schemas.ts';

/**
 * OpenAI's streamed chat completion (server-sent `chat.completion.chunk`s, then `data: [DONE]`) to
 * canonical stream events.
 * https://platform.openai.com/docs/api-reference/chat/streaming
 */
class OpenaiChatStreamDecoder implements StreamDecoder {
  readonly #parser = new SseParser();
  /** OpenAI's tool-call `index` to the canonical one, which counts calls in the order they start. */
  readonly #toolIndexes = new Map<number, number>();
  #started = false;
  #finished = false;
  #done = false;
  #failed = false;
  #ending = false;

  push(chunk: Uint8Array): StreamEvent[] {
    return this.#handleMessages(this.#parser.push(chunk));
  }

  end(): StreamEvent[] {
    this.#ending = true;
    const events = this.#handleMessages(this.#parser.end());
    if (this.#failed || this.#finished) return events;
    if (!this.#done) {
      this.#fail(events, 'upstream_stream_interrupted', 'The provider stream ended before its last chunk');
    } else if (this.#started) {
      // `[DONE]` without a finish_reason: a complete stream from a server that does not say why it stopped.
      events.push({ type: 'finish', finishReason: 'other' });
    } else {
      this.#fail(events, 'upstream_invalid_response', 'The provider stream ended without sending a chunk');
    }
    return events;
  }

  #handleMessages(messages: SseMessage[]): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const message of messages) this.#handleData(message.data, events);
    return events;
  }

  #fail(events: StreamEvent[], code: ErrorCode, message: string): void {
    this.#failed = true;
    events.push({ type: 'error', code, message });
  }

  #handleData(data: string, events: StreamEvent[]): void {
    // Nothing counts after an error or after `[DONE]`, not even a stray chunk.
    if (this.#failed || this.#done) return;
    if (data.trim() === '[DONE]') {
      this.#done = true;
      return;
    }
    const json = parseJsonLoosely(data);
    if (json === undefined) {
      // Half a chunk at the very end is a cut connection, not a provider speaking nonsense.
      if (this.#ending) this.#fail(events, 'upstream_stream_interrupted', 'The provider stream broke off mid-chunk');
      else this.#fail(events, 'upstream_invalid_response', 'The provider sent a stream chunk that is not JSON');
      return;
    }
    if (typeof json === 'object' && json !== null && 'error' in json) {
      const details = findErrorDetails(json);
      const code = details === undefined ? 'upstream_server_error' : classifyOpenaiError(undefined, details);
      this.#fail(events, code, describeUpstreamError(details, 'The provider reported an error mid-stream'));
      return;
    }
    const chunk = fastChunkShape(json);
    if (chunk !== undefined) {
      this.#handleChunk(chunk, events);
      return;
    }
    const parsed = chatCompletionChunkSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined ? '' : ` at ${formatIssuePath(issue.path) || 'the top level'}: ${issue.message}`;
      this.#fail(events, 'upstream_invalid_response', `The provider sent a malformed stream chunk${where}`);
      return;
    }
    this.#handleChunk(parsed.data, events);
  }

  #handleChunk(chunk: ChatCompletionChunk, events: StreamEvent[]): void {
    const choices = chunk.choices ?? [];
    const choice = choices.find((candidate) => (candidate.index ?? 0) === 0) ?? choices[0];
    const usage = chunk.usage ?? undefined;
    // Azure opens with a prompt-filter chunk that has no id, model or choices: it does not start the answer.
    if (!this.#started && (choice !== undefined || usage !== undefined)) {
      this.#started = true;
      events.push({
        type: 'stream-start',
        id: chunk.id === undefined || chunk.id === '' ? `chatcmpl-${randomUUID()}` : chunk.id,
        model: chunk.model ?? '',
        created: chunk.created ?? Math.floor(Date.now() / 1000),
      });
    }
    if (choice !== undefined && !this.#finished) {
      if (choice.delta !== undefined && choice.delta !== null) this.#handleDelta(choice.delta, events);
      if (this.#failed) return;
      if (choice.finish_reason !== undefined && choice.finish_reason !== null) {
        this.#finished = true;
        events.push({ type: 'finish', ...mapOpenaiFinishReason(choice.finish_reason) });
      }
    }
    if (usage !== undefined) events.push({ type: 'usage', usage: decodeOpenaiUsage(usage) });
  }

  #handleDelta(delta: ChunkDelta, events: StreamEvent[]): void {
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (typeof reasoning === 'string' && reasoning !== '') events.push({ type: 'reasoning-delta', text: reasoning });
    if (typeof delta.content === 'string' && delta.content !== '') events.push({ type: 'text-delta', text: delta.content });
    // The canonical model has no refusal marker: a refusal streams as the text the assistant says.
    if (typeof delta.refusal === 'string' && delta.refusal !== '') events.push({ type: 'text-delta', text: delta.refusal });
    for (const [position, call] of (delta.tool_calls ?? []).entries()) {
      const openaiIndex = call.index ?? position;
      let index = this.#toolIndexes.get(openaiIndex);
      if (index === undefined) {
        const name = call.function?.name;
        if (name === undefined || name === null || name === '') {
          this.#fail(events, 'upstream_invalid_response', `The provider streamed tool call ${openaiIndex} without a function name`);
          return;
        }
        index = this.#toolIndexes.size;
        this.#toolIndexes.set(openaiIndex, index);
        const id = call.id === undefined || call.id === null || call.id === '' ? `call_${randomUUID()}` : call.id;
        events.push({ type: 'tool-call-start', index, id, name });
      }
      const argumentsDelta = call.function?.arguments;
      if (typeof argumentsDelta === 'string' && argumentsDelta !== '') events.push({ type: 'tool-call-delta', index, argumentsDelta });
    }
  }
}

export const createStreamDecoder = (): StreamDecoder => new OpenaiChatStreamDecoder();
