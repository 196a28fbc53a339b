/** One server-sent event. `event` is absent when the stream gave no `event:` field. */
export interface SseMessage {
  event?: string;
  data: string;
}

/**
 * An incremental parser for `text/event-stream` (WHATWG HTML §9.2). Bytes may be split anywhere,
 * including inside a UTF-8 character or between `\r` and `\n`; comments and `id`/`retry` fields are
 * skipped because no provider API gives them meaning.
 */
export class SseParser {
  readonly #decoder = new TextDecoder('utf-8');
  #buffer = '';
  #event: string | undefined;
  #data: string[] = [];

  push(chunk: Uint8Array): SseMessage[] {
    return this.#consume(this.#decoder.decode(chunk, { stream: true }));
  }

  /** Flushes what is left; a final event with no blank line after it still counts. */
  end(): SseMessage[] {
    const messages = this.#consume(this.#decoder.decode() + '\n\n');
    this.#buffer = '';
    return messages;
  }

  /** True when bytes were received that have not yet made a complete event. */
  get hasPartialEvent(): boolean {
    return this.#buffer.length > 0 || this.#data.length > 0;
  }

  #consume(text: string): SseMessage[] {
    this.#buffer += text;
    const messages: SseMessage[] = [];
    // Nearly every server ends lines with a bare '\n': then a native search finds each line end.
    const bareNewlines = !this.#buffer.includes('\r');
    let start = 0;
    for (;;) {
      const lineEnd = bareNewlines ? this.#buffer.indexOf('\n', start) : this.#findLineEnd(start);
      if (lineEnd === -1) break;
      const line = this.#buffer.slice(start, lineEnd);
      start = lineEnd + (this.#buffer[lineEnd] === '\r' && this.#buffer[lineEnd + 1] === '\n' ? 2 : 1);
      this.#handleLine(line, messages);
    }
    this.#buffer = this.#buffer.slice(start);
    return messages;
  }

  #findLineEnd(from: number): number {
    for (let index = from; index < this.#buffer.length; index++) {
      const character = this.#buffer[index];
      if (character === '\n') return index;
      if (character === '\r') {
        // A lone trailing '\r' may be the first half of '\r\n': wait for the next chunk.
        return index + 1 < this.#buffer.length ? index : -1;
      }
    }
    return -1;
  }

  #handleLine(line: string, messages: SseMessage[]): void {
    if (line === '') {
      if (this.#data.length > 0) {
        const message: SseMessage = { data: this.#data.join('\n') };
        if (this.#event !== undefined) message.event = this.#event;
        messages.push(message);
      }
      this.#event = undefined;
      this.#data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
  }
}

/** Formats one server-sent event. */
export const formatSse = (data: string, event?: string): string =>
  event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
