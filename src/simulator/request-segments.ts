import type { ChatRequest, Message } from '../core/model/index.ts';

/** A piece of the prompt, in the order a provider reads it, and whether a cache breakpoint ends it. */
export interface PromptSegment {
  text: string;
  breakpoint: boolean;
  /** Tokens this segment costs beyond its text (images, per-message framing). */
  extraTokens: number;
}

/** What an image costs, whatever its size: the simulator does not decode images. */
const imageTokens = 85;
/** Per-message framing tokens, as OpenAI counts them for chat models. */
const messageFramingTokens = 3;

const messageSegments = (message: Message): PromptSegment[] => {
  const framing: PromptSegment = { text: message.role, breakpoint: false, extraTokens: messageFramingTokens };
  const parts = message.content.map((part): PromptSegment => {
    const breakpoint = 'cacheControl' in part && part.cacheControl !== undefined;
    switch (part.type) {
      case 'text': return { text: part.text, breakpoint, extraTokens: 0 };
      case 'image': return { text: '', breakpoint, extraTokens: imageTokens };
      case 'reasoning': return { text: part.text, breakpoint: false, extraTokens: 0 };
      case 'tool-call': return { text: `${part.name} ${part.arguments}`, breakpoint: false, extraTokens: 0 };
      case 'tool-result': {
        const text = part.content.map((inner) => (inner.type === 'text' ? inner.text : '')).join('\n');
        const images = part.content.filter((inner) => inner.type === 'image').length;
        return { text, breakpoint, extraTokens: images * imageTokens };
      }
    }
  });
  return [framing, ...parts];
};

/**
 * The prompt as Anthropic reads it for caching: tools, then system instructions, then the messages.
 * Token counts and cache prefixes are both computed over these segments.
 */
export const requestSegments = (request: ChatRequest): PromptSegment[] => {
  const tools = (request.tools ?? []).map((tool): PromptSegment => ({
    text: `${tool.name} ${tool.description ?? ''} ${JSON.stringify(tool.parameters)}`,
    breakpoint: tool.cacheControl !== undefined,
    extraTokens: 0,
  }));
  const system = request.messages.filter((message) => message.role === 'system');
  const conversation = request.messages.filter((message) => message.role !== 'system');
  const responseSchema = request.responseFormat?.type === 'json-schema' ? [{ text: JSON.stringify(request.responseFormat.schema), breakpoint: false, extraTokens: 0 }] : [];
  return [...tools, ...system.flatMap(messageSegments), ...conversation.flatMap(messageSegments), ...responseSchema, { text: '', breakpoint: false, extraTokens: messageFramingTokens }];
};
