/**
 * The parts a message is made of. One vocabulary for every wire format: codecs translate their
 * provider's blocks into these and back.
 */

/**
 * An Anthropic-style prompt-caching breakpoint. It marks the end of a cacheable prefix; providers
 * without explicit breakpoints ignore it, and it survives a round trip through the canonical model.
 */
export interface CacheControl {
  type: 'ephemeral';
  /** Time to live, where the provider supports choosing it ("5m" or "1h" at Anthropic). */
  ttl?: string;
}

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

export type ImageSource =
  | { kind: 'url'; url: string }
  /** Raw base64 (no `data:` prefix) and its media type, e.g. `image/png`. */
  | { kind: 'base64'; mediaType: string; data: string };

export interface ImagePart {
  type: 'image';
  source: ImageSource;
  /** OpenAI's `detail` hint; other providers ignore it. */
  detail?: 'auto' | 'low' | 'high';
  cacheControl?: CacheControl;
}

/** A tool call made by the assistant. `arguments` is the JSON text exactly as the model produced it. */
export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  arguments: string;
}

/** The outcome of a tool call, sent back by the caller. */
export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** Name of the tool, where the caller's format carries it (Gemini needs it; OpenAI does not send it). */
  toolName?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
  cacheControl?: CacheControl;
}

/**
 * Model reasoning ("thinking"). `signature` is Anthropic's opaque integrity token, which must be
 * sent back unchanged on the next turn; `redacted` holds Anthropic's encrypted redacted thinking.
 */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  redacted?: string;
}

export type UserContentPart = TextPart | ImagePart;
export type AssistantContentPart = TextPart | ToolCallPart | ReasoningPart;
