import type { Secret } from '../core/secret.ts';

/**
 * Replaces every occurrence of the provider's credentials in text we did not write (an upstream error
 * body may echo the key it refused), so a key can never reach an error message or a log line.
 */
export const createSecretRedactor = (secrets: ReadonlyArray<Secret | undefined>): ((text: string) => string) => {
  const values = secrets
    .map((secret) => secret?.reveal())
    // Very short values would redact ordinary words; no real credential is that short.
    .filter((value): value is string => value !== undefined && value.length >= 8)
    .toSorted((left, right) => right.length - left.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((redacted, value) => redacted.replaceAll(value, '[redacted]'), text);
};
