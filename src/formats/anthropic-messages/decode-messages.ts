import { GatewayError } from '../../core/errors/index.ts';
import type {
  AssistantContentPart,
  ImagePart,
  Message,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/index.ts';
import { decodeCacheControl } from './map-cache-control.ts';
import type { AnthropicImageBlock, AnthropicMessageParam, AnthropicRequestBlock, AnthropicTextBlock } from './schemas.ts';

/**
 * Anthropic turns in canonical messages, following
 * https://platform.claude.com/docs/en/api/messages#body-messages. Tool results live in user turns at
 * Anthropic and in `tool` messages canonically, so a user turn splits in two: its tool results first
 * (Anthropic requires them first), then the rest of what the user said.
 */

const misplaced = (path: string, role: string, type: string): GatewayError =>
  new GatewayError('invalid_request', `${path}: a ${role} turn cannot contain '${type}' blocks`, { param: path });

export const decodeTextBlock = (block: AnthropicTextBlock): TextPart => {
  const cacheControl = decodeCacheControl(block.cache_control);
  return cacheControl === undefined ? { type: 'text', text: block.text } : { type: 'text', text: block.text, cacheControl };
};

export const decodeImageBlock = (block: AnthropicImageBlock): ImagePart => {
  const { source } = block;
  const part: ImagePart = {
    type: 'image',
    source: source.type === 'url' ? { kind: 'url', url: source.url } : { kind: 'base64', mediaType: source.media_type, data: source.data },
  };
  const cacheControl = decodeCacheControl(block.cache_control);
  if (cacheControl !== undefined) part.cacheControl = cacheControl;
  return part;
};

const decodeToolResult = (block: Extract<AnthropicRequestBlock, { type: 'tool_result' }>, toolNames: Map<string, string>): ToolResultPart => {
  const part: ToolResultPart = {
    type: 'tool-result',
    toolCallId: block.tool_use_id,
    content: (block.content ?? []).map((item) => (item.type === 'text' ? decodeTextBlock(item) : decodeImageBlock(item))),
  };
  const toolName = toolNames.get(block.tool_use_id);
  if (toolName !== undefined) part.toolName = toolName;
  if (block.is_error === true) part.isError = true;
  const cacheControl = decodeCacheControl(block.cache_control);
  if (cacheControl !== undefined) part.cacheControl = cacheControl;
  return part;
};

const decodeUserTurn = (blocks: AnthropicRequestBlock[], path: string, toolNames: Map<string, string>): Message[] => {
  const results: ToolResultPart[] = [];
  const parts: UserContentPart[] = [];
  blocks.forEach((block, index) => {
    if (block.type === 'text') parts.push(decodeTextBlock(block));
    else if (block.type === 'image') parts.push(decodeImageBlock(block));
    else if (block.type === 'tool_result') results.push(decodeToolResult(block, toolNames));
    else throw misplaced(`${path}[${index}].type`, 'user', block.type);
  });
  const messages: Message[] = [];
  if (results.length > 0) messages.push({ role: 'tool', content: results });
  if (parts.length > 0 || results.length === 0) messages.push({ role: 'user', content: parts });
  return messages;
};

const decodeAssistantBlock = (block: AnthropicRequestBlock, path: string, toolNames: Map<string, string>): AssistantContentPart => {
  switch (block.type) {
    case 'text':
      return decodeTextBlock(block);
    case 'tool_use':
      toolNames.set(block.id, block.name);
      return { type: 'tool-call', id: block.id, name: block.name, arguments: JSON.stringify(block.input) };
    case 'thinking':
      return block.signature === '' ? { type: 'reasoning', text: block.thinking } : { type: 'reasoning', text: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redacted: block.data };
    default:
      throw misplaced(path, 'assistant', block.type);
  }
};

const decodeSystemTurn = (blocks: AnthropicRequestBlock[], path: string): TextPart[] =>
  blocks.map((block, index) => {
    if (block.type !== 'text') throw misplaced(`${path}[${index}].type`, 'system', block.type);
    return decodeTextBlock(block);
  });

/** The top-level `system` prompt becomes the leading system message; then every turn in order. */
export const decodeAnthropicMessages = (system: AnthropicTextBlock[] | undefined, turns: AnthropicMessageParam[]): Message[] => {
  const messages: Message[] = [];
  if (system !== undefined && system.length > 0) messages.push({ role: 'system', content: system.map(decodeTextBlock) });
  // Tool names are not repeated in Anthropic's tool results; canonical ones carry them (Gemini needs them).
  const toolNames = new Map<string, string>();
  turns.forEach((turn, turnIndex) => {
    const path = `messages[${turnIndex}].content`;
    if (turn.role === 'user') messages.push(...decodeUserTurn(turn.content, path, toolNames));
    else if (turn.role === 'system') messages.push({ role: 'system', content: decodeSystemTurn(turn.content, path) });
    else messages.push({ role: 'assistant', content: turn.content.map((block, index) => decodeAssistantBlock(block, `${path}[${index}].type`, toolNames)) });
  });
  return messages;
};
