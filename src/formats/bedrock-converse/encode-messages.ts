import { GatewayError } from '../../core/errors/index.ts';
import type {
  AssistantContentPart,
  CacheControl,
  ImagePart,
  JsonObject,
  Message,
  TextPart,
  ToolResultPart,
  UserContentPart,
} from '../../core/model/index.ts';
import { definedJson } from './defined-properties.ts';
import { imageFormatOfMediaType } from './image-format.ts';
import { toolInputOfArguments } from './tool-input.ts';

/**
 * Canonical messages as Bedrock's `system` and `messages`.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html
 *
 * - System messages, wherever they stand, are gathered into the top-level `system`.
 * - `tool` messages become user turns of `toolResult` blocks; consecutive turns of one role are merged
 *   (Bedrock wants user and assistant to alternate), with tool results first in a user turn, as
 *   Anthropic models require.
 * - A part's CacheControl becomes a `cachePoint` block right after it.
 * - Empty text parts are left out: Bedrock rejects blank text blocks.
 */
export const encodeMessages = (messages: Message[]): { system: JsonObject[]; messages: JsonObject[] } => {
  const system: JsonObject[] = [];
  const turns: Turn[] = [];
  messages.forEach((message, index) => {
    const path = `messages[${index}].content`;
    switch (message.role) {
      case 'system':
        for (const part of message.content) system.push(...withCachePoint({ text: part.text }, part.cacheControl));
        break;
      case 'user':
        appendUnits(turns, 'user', message.content.flatMap((part, partIndex) => userUnits(part, `${path}[${partIndex}]`)));
        break;
      case 'assistant':
        appendUnits(turns, 'assistant', message.content.flatMap(assistantUnits));
        break;
      case 'tool':
        appendUnits(turns, 'user', message.content.map((part, partIndex) => toolResultUnit(part, `${path}[${partIndex}]`)));
        break;
    }
  });
  return { system, messages: turns.map(encodeTurn) };
};

/** A block and the cachePoint that follows it, kept together when a turn's blocks are reordered. */
interface Unit {
  blocks: JsonObject[];
  isToolResult: boolean;
}

interface Turn {
  role: 'user' | 'assistant';
  units: Unit[];
}

export const cachePointBlock = (cacheControl: CacheControl): JsonObject => ({
  cachePoint: definedJson({ type: 'default', ttl: cacheControl.ttl }),
});

const withCachePoint = (block: JsonObject, cacheControl: CacheControl | undefined): JsonObject[] =>
  cacheControl === undefined ? [block] : [block, cachePointBlock(cacheControl)];

const appendUnits = (turns: Turn[], role: Turn['role'], units: Unit[]): void => {
  const last = turns.at(-1);
  if (last?.role === role) last.units.push(...units);
  else turns.push({ role, units });
};

const encodeTurn = (turn: Turn): JsonObject => {
  // Stable: tool results move ahead of the caller's text, each keeping its own cache point.
  const units = turn.role === 'user' ? [...turn.units.filter((unit) => unit.isToolResult), ...turn.units.filter((unit) => !unit.isToolResult)] : turn.units;
  return { role: turn.role, content: units.flatMap((unit) => unit.blocks) };
};

/** Bedrock takes image bytes only (or S3 objects): a URL cannot be sent, and is not fetched for it. */
export const encodeImage = (part: ImagePart, param: string): JsonObject => {
  if (part.source.kind === 'url') {
    throw new GatewayError(
      'unsupported_capability',
      `${param}: Bedrock Converse cannot take images by URL; send the image as base64 data instead`,
      { param },
    );
  }
  return { image: { format: imageFormatOfMediaType(part.source.mediaType), source: { bytes: part.source.data } } };
};

const userUnits = (part: UserContentPart, param: string): Unit[] => {
  if (part.type === 'image') return [{ blocks: withCachePoint(encodeImage(part, param), part.cacheControl), isToolResult: false }];
  if (part.text === '') return [];
  return [{ blocks: withCachePoint({ text: part.text }, part.cacheControl), isToolResult: false }];
};

const assistantUnits = (part: AssistantContentPart): Unit[] => {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ blocks: withCachePoint({ text: part.text }, part.cacheControl), isToolResult: false }];
    case 'tool-call':
      return [{ blocks: [{ toolUse: { toolUseId: part.id, name: part.name, input: toolInputOfArguments(part.arguments) } }], isToolResult: false }];
    case 'reasoning': {
      const reasoningContent: JsonObject =
        part.redacted === undefined ? { reasoningText: definedJson({ text: part.text, signature: part.signature }) } : { redactedContent: part.redacted };
      return [{ blocks: [{ reasoningContent }], isToolResult: false }];
    }
  }
};

const toolResultUnit = (part: ToolResultPart, param: string): Unit => {
  const content = part.content.map((item: TextPart | ImagePart, index) =>
    item.type === 'text' ? { text: item.text } : encodeImage(item, `${param}.content[${index}]`),
  );
  const status = part.isError === undefined ? undefined : part.isError ? 'error' : 'success';
  const toolResult = definedJson({ toolUseId: part.toolCallId, content, status });
  return { blocks: withCachePoint({ toolResult }, part.cacheControl), isToolResult: true };
};
