/** Why an output was judged unusable: a short machine-readable reason for logs and metrics. */
export type ValidationFailureReason =
  | 'empty-output'
  | 'too-long'
  | 'prohibited-pattern'
  | 'invalid-json'
  | 'not-json-object'
  | 'schema-mismatch'
  | 'missing-required-field'
  | 'unknown-tool'
  | 'invalid-tool-arguments'
  | 'tool-arguments-schema-mismatch';

/**
 * An output that failed validation. `message` says what is wrong in terms of the schema and the config
 * only, never quoting the output: it may hold personal data, and the message reaches logs and callers.
 */
export interface ValidationFailure {
  reason: ValidationFailureReason;
  message: string;
}

/**
 * Failures of content policy (too long, prohibited content) rather than of shape. On a stream, whose
 * text has already been sent, these still turn the end of the stream into an error, so the caller knows
 * not to use the answer; a shape failure cannot be undone and is only recorded.
 */
export const isPolicyFailure = (failure: ValidationFailure): boolean => failure.reason === 'too-long' || failure.reason === 'prohibited-pattern';
