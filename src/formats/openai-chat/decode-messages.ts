import { GatewayError } from '../../core/errors/index.ts';
import type { AssistantContentPart, CacheControl, ImagePart, Message, TextPart, UserContentPart } from '../../core/model/index.ts';
import type { RequestMessage, RequestTextPart } from './schemas.ts';

/**
 * OpenAI chat messages to canonical messages.
 * https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
 */

type UserMessage = Extract<RequestMessage, { role: 'user' }>;
type AssistantMessage = Extract<RequestMessage, { role: 'assistant' }>;
type ToolMessage = Extract<RequestMessage, { role: 'tool' }>;
type UserPart = Exclude<UserMessage['content'], string>[number];
type ImageUrlPart = Extract<UserPart, { type: 'image_url' }>;

const invalid = (param: string, message: string): GatewayError =>
  new GatewayError('invalid_request', `${param}: ${message}`, { param });

const decodeCacheControl = (breakpoint: { ttl?: string | undefined } | undefined): CacheControl | undefined =>
  breakpoint === undefined ? undefined : breakpoint.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: breakpoint.ttl };

const decodeTextPart = (part: RequestTextPart): TextPart => {
  const cacheControl = decodeCacheControl(part.prompt_cache_breakpoint);
  return cacheControl === undefined ? { type: 'text', text: part.text } : { type: 'text', text: part.text, cacheControl };
};

const decodeTextContent = (content: string | RequestTextPart[]): TextPart[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : content.map(decodeTextPart);

/** `data:image/png;base64,iVBOR...`: the only inline form OpenAI accepts for images. */
const dataUrlPattern = /^data:([^;,]+)(?:;[^;,=]+=[^;,]*)*;base64,(.*)$/s;

const decodeImagePart = (part: ImageUrlPart, param: string): ImagePart => {
  const { url, detail } = part.image_url;
  let image: ImagePart;
  if (url.startsWith('data:')) {
    const match = dataUrlPattern.exec(url);
    if (match === null || match[1] === undefined || match[2] === undefined) {
      throw invalid(`${param}.image_url.url`, 'a data: URL must be base64, as in data:image/png;base64,...');
    }
    image = { type: 'image', source: { kind: 'base64', mediaType: match[1], data: match[2] } };
  } else {
    image = { type: 'image', source: { kind: 'url', url } };
  }
  // The canonical model has no "original" level; "high" is the closest fidelity promise.
  if (detail !== undefined) image.detail = detail === 'original' ? 'high' : detail;
  const cacheControl = decodeCacheControl(part.prompt_cache_breakpoint);
  if (cacheControl !== undefined) image.cacheControl = cacheControl;
  return image;
};

const decodeUserPart = (part: UserPart, param: string): UserContentPart => {
  switch (part.type) {
    case 'text':
      return decodeTextPart(part);
    case 'image_url':
      return decodeImagePart(part, param);
    default:
      throw invalid(`${param}.type`, `content parts of type "${part.type}" are not supported; send text or image_url parts`);
  }
};

const decodeUser = (message: UserMessage, param: string): Message => {
  const content = typeof message.content === 'string'
    ? [{ type: 'text' as const, text: message.content }]
    : message.content.map((part, index) => decodeUserPart(part, `${param}.content[${index}]`));
  return message.name === undefined ? { role: 'user', content } : { role: 'user', content, name: message.name };
};

const decodeAssistant = (message: AssistantMessage, param: string): Message => {
  if (message.function_call !== undefined && message.function_call !== null) {
    throw invalid(`${param}.function_call`, 'legacy function calling is not supported; use tool_calls');
  }
  if (message.audio !== undefined && message.audio !== null) {
    throw invalid(`${param}.audio`, 'audio in assistant messages is not supported');
  }
  const content: AssistantContentPart[] = [];
  // An empty string is how many clients say "no text" next to tool calls.
  if (typeof message.content === 'string' && message.content !== '') content.push({ type: 'text', text: message.content });
  if (Array.isArray(message.content)) {
    for (const part of message.content) {
      content.push(part.type === 'text' ? decodeTextPart(part) : { type: 'text', text: part.refusal });
    }
  }
  // The canonical model has no refusal marker: a refusal in the history is what the assistant said.
  if (typeof message.refusal === 'string' && message.refusal !== '') content.push({ type: 'text', text: message.refusal });
  for (const call of message.tool_calls ?? []) {
    content.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: call.function.arguments });
  }
  return message.name === undefined ? { role: 'assistant', content } : { role: 'assistant', content, name: message.name };
};

const decodeToolResult = (message: ToolMessage) =>
  ({ type: 'tool-result' as const, toolCallId: message.tool_call_id, content: decodeTextContent(message.content) });

/**
 * Decodes the conversation. `developer` becomes `system` (OpenAI treats them alike for a given model);
 * consecutive `tool` messages become one canonical tool message, as the results of one assistant turn.
 */
export const decodeMessages = (messages: RequestMessage[]): Message[] => {
  const decoded: Message[] = [];
  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        decoded.push({ role: 'system', content: decodeTextContent(message.content) });
        return;
      case 'user':
        decoded.push(decodeUser(message, param));
        return;
      case 'assistant':
        decoded.push(decodeAssistant(message, param));
        return;
      case 'tool': {
        const previous = decoded.at(-1);
        if (previous?.role === 'tool') previous.content.push(decodeToolResult(message));
        else decoded.push({ role: 'tool', content: [decodeToolResult(message)] });
        return;
      }
      case 'function':
        throw invalid(`${param}.role`, 'the legacy "function" role is not supported; use "tool" messages with tool_call_id');
    }
  });
  return decoded;
};
