import type { JsonSchema } from './json-value.ts';

/** The shape the caller wants the answer in. */
export type ResponseFormat =
  | { type: 'text' }
  /** Any syntactically valid JSON object. */
  | { type: 'json-object' }
  /** JSON valid against `schema`. `strict` asks the provider to guarantee it where it can. */
  | { type: 'json-schema'; name: string; schema: JsonSchema; description?: string; strict?: boolean };
