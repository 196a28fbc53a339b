import { GatewayError } from '../../core/errors/index.ts';
import type {
  AssistantContentPart,
  CacheControl,
  ImagePart,
  Message,
  ReasoningPart,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/index.ts';
import { contentBlockMember } from './content-block-member.ts';
import { definedProperties } from './defined-properties.ts';
import { mediaTypeOfImageFormat } from './image-format.ts';
import type { BedrockCachePoint, BedrockContentBlock, BedrockImageBlock, BedrockSystemBlock, ConverseRequestBody } from './schemas.ts';
import { argumentsOfToolInput } from './tool-input.ts';

/**
 * Bedrock's `system` and `messages` in canonical form.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ContentBlock.html
 *
 * - Tool results travel in user turns at Bedrock; canonically they are `tool` messages, so a user turn
 *   is split into runs of `tool` and `user` messages, in order.
 * - A `cachePoint` block marks the end of a cacheable prefix: it becomes the CacheControl of the part
 *   before it (possibly in an earlier message). A cache point after a block that cannot carry one
 *   canonically (a tool call, reasoning) is dropped.
 */
export const decodeMessages = (system: BedrockSystemBlock[] | undefined, messages: ConverseRequestBody['messages']): Message[] => {
  const state: DecodeState = { messages: [], lastCacheable: undefined, turnStart: 0 };
  if (system !== undefined) decodeSystem(system, state);
  messages.forEach((message, index) => {
    state.turnStart = state.messages.length;
    if (message.role === 'user') decodeUserTurn(message.content, `messages[${index}]`, state);
    else decodeAssistantTurn(message.content, `messages[${index}]`, state);
  });
  return state.messages;
};

interface DecodeState {
  messages: Message[];
  /** The last part emitted that a following cachePoint would mark. */
  lastCacheable: { cacheControl?: CacheControl } | undefined;
  /** Index of the first message produced by the Bedrock turn being decoded. */
  turnStart: number;
}

export const cacheControlOfCachePoint = (cachePoint: BedrockCachePoint): CacheControl =>
  cachePoint.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cachePoint.ttl };

const markCachePoint = (state: DecodeState, cachePoint: BedrockCachePoint): void => {
  if (state.lastCacheable !== undefined) state.lastCacheable.cacheControl = cacheControlOfCachePoint(cachePoint);
};

const decodeSystem = (system: BedrockSystemBlock[], state: DecodeState): void => {
  const parts: TextPart[] = [];
  system.forEach((block, index) => {
    contentBlockMember(block, ['text', 'cachePoint'], `system[${index}]`);
    if (block.text !== undefined) {
      const part: TextPart = { type: 'text', text: block.text };
      parts.push(part);
      state.lastCacheable = part;
    } else if (block.cachePoint !== undefined) markCachePoint(state, block.cachePoint);
  });
  if (parts.length > 0) state.messages.push({ role: 'system', content: parts });
};

export const decodeImageBlock = (image: BedrockImageBlock, param: string): ImagePart => {
  if (image.source.bytes === undefined) {
    throw new GatewayError('invalid_request', `${param}: images from s3Location are not supported; send bytes`, { param });
  }
  return { type: 'image', source: { kind: 'base64', mediaType: mediaTypeOfImageFormat(image.format), data: image.source.bytes } };
};

const lastMessageOfTurn = (state: DecodeState): Message | undefined =>
  state.messages.length > state.turnStart ? state.messages.at(-1) : undefined;

/** Appends to the current run of user parts within this turn, or starts one. */
const pushUserPart = (state: DecodeState, part: UserContentPart): void => {
  const last = lastMessageOfTurn(state);
  if (last?.role === 'user') last.content.push(part);
  else state.messages.push({ role: 'user', content: [part] });
  state.lastCacheable = part;
};

/** Appends to the current run of tool results within this turn, or starts one. */
const pushToolResult = (state: DecodeState, part: ToolResultPart): void => {
  const last = lastMessageOfTurn(state);
  if (last?.role === 'tool') last.content.push(part);
  else state.messages.push({ role: 'tool', content: [part] });
  state.lastCacheable = part;
};

const decodeUserTurn = (content: BedrockContentBlock[], path: string, state: DecodeState): void => {
  if (content.length === 0) state.messages.push({ role: 'user', content: [] });
  content.forEach((block, index) => {
    const param = `${path}.content[${index}]`;
    contentBlockMember(block, ['text', 'image', 'toolResult', 'cachePoint'], param);
    if (block.text !== undefined) pushUserPart(state, { type: 'text', text: block.text });
    else if (block.image !== undefined) pushUserPart(state, decodeImageBlock(block.image, `${param}.image`));
    else if (block.toolResult !== undefined) pushToolResult(state, decodeToolResult(block.toolResult, `${param}.toolResult`));
    else if (block.cachePoint !== undefined) markCachePoint(state, block.cachePoint);
  });
};

const decodeToolResult = (result: NonNullable<BedrockContentBlock['toolResult']>, path: string): ToolResultPart => {
  const content = result.content.map((item, index): TextPart | ImagePart => {
    const param = `${path}.content[${index}]`;
    contentBlockMember(item, ['text', 'json', 'image'], param);
    if (item.text !== undefined) return { type: 'text', text: item.text };
    if (item.image !== undefined) return decodeImageBlock(item.image, `${param}.image`);
    // Canonical tool results are text or images: a JSON document travels as its JSON text.
    return { type: 'text', text: JSON.stringify(item.json) };
  });
  return definedProperties<ToolResultPart>({
    type: 'tool-result',
    toolCallId: result.toolUseId,
    content,
    isError: result.status === undefined ? undefined : result.status === 'error',
  });
};

const decodeAssistantTurn = (content: BedrockContentBlock[], path: string, state: DecodeState): void => {
  const parts: AssistantContentPart[] = [];
  state.messages.push({ role: 'assistant', content: parts });
  content.forEach((block, index) => {
    const param = `${path}.content[${index}]`;
    contentBlockMember(block, ['text', 'toolUse', 'reasoningContent', 'cachePoint'], param);
    if (block.cachePoint !== undefined) return markCachePoint(state, block.cachePoint);
    const part = decodeAssistantBlock(block, param);
    parts.push(part);
    state.lastCacheable = part.type === 'text' ? part : undefined;
  });
};

const decodeAssistantBlock = (block: BedrockContentBlock, param: string): AssistantContentPart => {
  if (block.toolUse !== undefined) {
    return { type: 'tool-call', id: block.toolUse.toolUseId, name: block.toolUse.name, arguments: argumentsOfToolInput(block.toolUse.input) };
  }
  const reasoning = block.reasoningContent;
  if (reasoning?.reasoningText !== undefined) {
    return definedProperties<ReasoningPart>({ type: 'reasoning', text: reasoning.reasoningText.text, signature: reasoning.reasoningText.signature });
  }
  if (reasoning?.redactedContent !== undefined) return { type: 'reasoning', text: '', redacted: reasoning.redactedContent };
  if (block.text !== undefined) return { type: 'text', text: block.text };
  throw new GatewayError('invalid_request', `${param}.reasoningContent: set reasoningText or redactedContent`, { param: `${param}.reasoningContent` });
};
