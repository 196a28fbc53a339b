import { inspect } from 'node:util';

/**
 * A credential. It prints as `[redacted]` through `String()`, `JSON.stringify`, `util.inspect` and
 * template literals, so it cannot leak into a log line or an error by accident; only `reveal()`,
 * called where the credential is put on the wire, gives the value.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}
