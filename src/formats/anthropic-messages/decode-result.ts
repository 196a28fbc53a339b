import type { AssistantContentPart, ChatResult } from '../../core/model/index.ts';
import { parseUpstreamBody } from '../shared/parse-with-schema.ts';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts';
import { decodeAnthropicUsage } from './map-anthropic-usage.ts';
import { messageResponseSchema, type AnthropicResultBlock } from './response-schemas.ts';

/** One content block of a Message (https://platform.claude.com/docs/en/api/messages#response-content). */
export const decodeResultBlock = (block: AnthropicResultBlock): AssistantContentPart => {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'tool_use':
      return { type: 'tool-call', id: block.id, name: block.name, arguments: JSON.stringify(block.input) };
    case 'thinking':
      return typeof block.signature === 'string' && block.signature !== ''
        ? { type: 'reasoning', text: block.thinking, signature: block.signature }
        : { type: 'reasoning', text: block.thinking };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redacted: block.data };
  }
};

/**
 * Anthropic's Message object (https://platform.claude.com/docs/en/api/messages) in canonical form.
 * Anthropic gives no creation time, so `created` is when Bulwark decoded it.
 */
export const decodeAnthropicResult = (body: unknown): ChatResult => {
  const message = parseUpstreamBody(messageResponseSchema, body, 'Anthropic message');
  const result: ChatResult = {
    id: message.id,
    model: message.model,
    created: Math.floor(Date.now() / 1000),
    content: message.content.map(decodeResultBlock),
    finishReason: mapAnthropicStopReason(message.stop_reason),
    usage: decodeAnthropicUsage(message.usage),
  };
  if (typeof message.stop_reason === 'string') result.rawFinishReason = message.stop_reason;
  if (typeof message.stop_sequence === 'string') result.stopSequence = message.stop_sequence;
  return result;
};
