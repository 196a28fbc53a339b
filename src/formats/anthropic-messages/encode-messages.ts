import type { AssistantContentPart, ImagePart, JsonObject, Message, TextPart, ToolResultPart } from '../../core/model/index.ts';
import { withCacheControl } from './map-cache-control.ts';
import { parseToolArguments } from '../shared/parse-tool-arguments.ts';

/**
 * Canonical messages as Anthropic's `system` and `messages`
 * (https://platform.claude.com/docs/en/api/messages#body-messages). Anthropic takes one top-level
 * system prompt, needs user and assistant turns to alternate, wants tool results at the start of a
 * user turn, and rejects empty text blocks; this shapes canonical messages to fit.
 */

export interface EncodedConversation {
  system?: string | JsonObject[];
  messages: JsonObject[];
}

interface Turn {
  role: 'user' | 'assistant';
  blocks: JsonObject[];
}

const dataUrlPattern = /^data:([^;,]+);base64,(.*)$/s;

export const encodeTextPart = (part: TextPart): JsonObject | undefined =>
  part.text === '' ? undefined : withCacheControl({ type: 'text', text: part.text }, part.cacheControl);

export const encodeImagePart = (part: ImagePart): JsonObject => {
  const { source } = part;
  const dataUrl = source.kind === 'url' ? dataUrlPattern.exec(source.url) : null;
  const encodedSource: JsonObject =
    source.kind === 'base64'
      ? { type: 'base64', media_type: source.mediaType, data: source.data }
      : dataUrl !== null
        ? { type: 'base64', media_type: dataUrl[1] ?? '', data: dataUrl[2] ?? '' }
        : { type: 'url', url: source.url };
  return withCacheControl({ type: 'image', source: encodedSource }, part.cacheControl);
};

const asList = (block: JsonObject | undefined): JsonObject[] => (block === undefined ? [] : [block]);

const encodeContentParts = (parts: Array<TextPart | ImagePart>): JsonObject[] =>
  parts.flatMap((part) => (part.type === 'text' ? asList(encodeTextPart(part)) : [encodeImagePart(part)]));

const encodeToolResult = (part: ToolResultPart): JsonObject => {
  const block: JsonObject = { type: 'tool_result', tool_use_id: part.toolCallId };
  const content = encodeContentParts(part.content);
  const only = content[0];
  if (content.length === 1 && only !== undefined && only.type === 'text' && only.cache_control === undefined) block.content = only.text ?? '';
  else if (content.length > 0) block.content = content;
  if (part.isError === true) block.is_error = true;
  return withCacheControl(block, part.cacheControl);
};

/** Reasoning without Anthropic's signature cannot be verified by Anthropic, so it is not sent. */
const encodeAssistantPart = (part: AssistantContentPart): JsonObject | undefined => {
  switch (part.type) {
    case 'text':
      return encodeTextPart(part);
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: parseToolArguments(part.arguments) };
    case 'reasoning':
      if (part.redacted !== undefined) return { type: 'redacted_thinking', data: part.redacted };
      return part.signature === undefined ? undefined : { type: 'thinking', thinking: part.text, signature: part.signature };
  }
};

const toTurn = (message: Exclude<Message, { role: 'system' }>): Turn => {
  switch (message.role) {
    case 'user':
      return { role: 'user', blocks: encodeContentParts(message.content) };
    case 'tool':
      return { role: 'user', blocks: message.content.map(encodeToolResult) };
    case 'assistant':
      return { role: 'assistant', blocks: message.content.flatMap((part) => asList(encodeAssistantPart(part))) };
  }
};

/** Consecutive same-role turns become one; in user turns tool results go first, as Anthropic requires. */
const mergeTurns = (turns: Turn[]): Turn[] => {
  const merged: Turn[] = [];
  for (const turn of turns) {
    if (turn.blocks.length === 0) continue;
    const last = merged.at(-1);
    if (last !== undefined && last.role === turn.role) last.blocks.push(...turn.blocks);
    else merged.push({ role: turn.role, blocks: [...turn.blocks] });
  }
  for (const turn of merged) {
    if (turn.role !== 'user') continue;
    turn.blocks = [...turn.blocks.filter((block) => block.type === 'tool_result'), ...turn.blocks.filter((block) => block.type !== 'tool_result')];
  }
  return merged;
};

/** A lone plain text block is sent as a string, the form Anthropic's own examples use. */
const encodeTurn = (turn: Turn): JsonObject => {
  const only = turn.blocks[0];
  const plainText = turn.blocks.length === 1 && only !== undefined && only.type === 'text' && only.cache_control === undefined;
  return { role: turn.role, content: plainText ? (only.text ?? '') : turn.blocks };
};

const encodeSystem = (messages: Message[]): string | JsonObject[] | undefined => {
  const parts = messages.flatMap((message) => (message.role === 'system' ? message.content : []));
  const blocks = parts.flatMap((part) => asList(encodeTextPart(part)));
  const only = parts.find((part) => part.text !== '');
  if (blocks.length === 0) return undefined;
  return blocks.length === 1 && only !== undefined && only.cacheControl === undefined ? only.text : blocks;
};

export const encodeAnthropicMessages = (messages: Message[]): EncodedConversation => {
  const turns = messages.flatMap((message) => (message.role === 'system' ? [] : [toTurn(message)]));
  const encoded: EncodedConversation = { messages: mergeTurns(turns).map(encodeTurn) };
  const system = encodeSystem(messages);
  if (system !== undefined) encoded.system = system;
  return encoded;
};
