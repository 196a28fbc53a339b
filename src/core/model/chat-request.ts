import type { JsonObject } from './json-value.ts';
import type { Message } from './message.ts';
import type { ResponseFormat } from './response-format.ts';
import type { ToolChoice, ToolDefinition } from './tool.ts';

/** Sampling controls. Absent means "the provider's default"; codecs never invent values. */
export interface Sampling {
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
}

/** Extended reasoning: OpenAI's `reasoning_effort`, Anthropic's and Gemini's thinking budgets. */
export interface ReasoningOptions {
  effort?: 'minimal' | 'low' | 'medium' | 'high';
  budgetTokens?: number;
}

/**
 * A chat request in Bulwark's canonical form: what every client format decodes to and every
 * provider format encodes from.
 */
export interface ChatRequest {
  /** The model the caller asked for: an alias in Bulwark's config until routing resolves it. */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  sampling: Sampling;
  reasoning?: ReasoningOptions;
  stream: boolean;
  /** The caller's end user (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /**
   * Fields of the caller's format with no canonical meaning, keyed by format name (e.g.
   * `"openai-chat": { logprobs: true }`). A codec re-emits only its own format's entries, so they
   * pass through same-format calls and are dropped, not mistranslated, across formats.
   */
  providerOptions?: Record<string, JsonObject>;
}
