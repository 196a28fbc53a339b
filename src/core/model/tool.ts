import type { CacheControl } from './content-part.ts';
import type { JsonSchema } from './json-value.ts';

/** A function the model may call. `parameters` is the JSON Schema of its arguments object. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters: JsonSchema;
  /** OpenAI structured-outputs strict mode for the arguments. */
  strict?: boolean;
  cacheControl?: CacheControl;
}

/**
 * How the model may use tools: `auto` (its choice), `none`, `required` (at least one, any tool),
 * or `tool` (this one).
 */
export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };
