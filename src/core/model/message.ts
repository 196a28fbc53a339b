import type { AssistantContentPart, TextPart, ToolResultPart, UserContentPart } from './content-part.ts';

/**
 * One turn of the conversation. System instructions stay in `messages` at their position (OpenAI
 * allows them anywhere); codecs whose provider takes one top-level system prompt gather them.
 * Tool results always travel in a `tool` message, whatever the caller's format did with them
 * (Anthropic and Gemini put them in user turns; their codecs split and join).
 */
export type Message =
  | { role: 'system'; content: TextPart[] }
  | { role: 'user'; content: UserContentPart[]; name?: string }
  | { role: 'assistant'; content: AssistantContentPart[]; name?: string }
  | { role: 'tool'; content: ToolResultPart[] };

export type MessageRole = Message['role'];
