import { GatewayError } from '../../core/errors/index.ts';
import type {
  AssistantContentPart,
  CacheControl,
  ImagePart,
  JsonObject,
  JsonValue,
  Message,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/index.ts';

/**
 * Canonical messages to OpenAI chat messages.
 * https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
 */

const encodeCacheBreakpoint = (cacheControl: CacheControl): JsonObject =>
  cacheControl.ttl === undefined ? { mode: 'explicit' } : { mode: 'explicit', ttl: cacheControl.ttl };

const encodeTextPart = (part: TextPart): JsonObject =>
  part.cacheControl === undefined
    ? { type: 'text', text: part.text }
    : { type: 'text', text: part.text, prompt_cache_breakpoint: encodeCacheBreakpoint(part.cacheControl) };

const encodeImagePart = (part: ImagePart): JsonObject => {
  const url = part.source.kind === 'url' ? part.source.url : `data:${part.source.mediaType};base64,${part.source.data}`;
  const imageUrl: JsonObject = part.detail === undefined ? { url } : { url, detail: part.detail };
  return part.cacheControl === undefined
    ? { type: 'image_url', image_url: imageUrl }
    : { type: 'image_url', image_url: imageUrl, prompt_cache_breakpoint: encodeCacheBreakpoint(part.cacheControl) };
};

/** A lone plain text part is sent as a string, the form every OpenAI-compatible server accepts. */
const encodeTextContent = (parts: TextPart[]): JsonValue => {
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && only.cacheControl === undefined) return only.text;
  return parts.map(encodeTextPart);
};

const encodeUserContent = (parts: UserContentPart[]): JsonValue => {
  if (parts.every((part): part is TextPart => part.type === 'text')) return encodeTextContent(parts);
  return parts.map((part) => (part.type === 'text' ? encodeTextPart(part) : encodeImagePart(part)));
};

const encodeAssistant = (content: AssistantContentPart[], name: string | undefined): JsonObject => {
  const texts = content.filter((part): part is TextPart => part.type === 'text');
  const toolCalls = content.flatMap((part) =>
    part.type === 'tool-call' ? [{ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } }] : []);
  // Reasoning is not sent back: Chat Completions has no input field for it, and some compatible servers reject one.
  const message: JsonObject = {
    role: 'assistant',
    content: texts.length > 0 ? encodeTextContent(texts) : toolCalls.length > 0 ? null : '',
  };
  if (toolCalls.length > 0) message['tool_calls'] = toolCalls;
  if (name !== undefined) message['name'] = name;
  return message;
};

const encodeToolResult = (result: ToolResultPart, param: string): JsonObject => {
  const texts = result.content.map((part, index) => {
    if (part.type === 'text') return part;
    throw new GatewayError('unsupported_capability', `${param}.content[${index}]: OpenAI tool messages cannot carry images`);
  });
  return { role: 'tool', tool_call_id: result.toolCallId, content: texts.length === 0 ? '' : encodeTextContent(texts) };
};

/** One OpenAI message per canonical message, except tool messages: one per result. */
export const encodeMessages = (messages: Message[]): JsonObject[] =>
  messages.flatMap((message, index): JsonObject[] => {
    switch (message.role) {
      case 'system':
        return [{ role: 'system', content: encodeTextContent(message.content) }];
      case 'user': {
        const encoded: JsonObject = { role: 'user', content: encodeUserContent(message.content) };
        if (message.name !== undefined) encoded['name'] = message.name;
        return [encoded];
      }
      case 'assistant':
        return [encodeAssistant(message.content, message.name)];
      case 'tool':
        return message.content.map((result, resultIndex) => encodeToolResult(result, `messages[${index}].content[${resultIndex}]`));
    }
  });
