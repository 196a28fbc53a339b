import type { AssistantContentPart, ChatResult, JsonObject } from '../../core/model/index.ts';
import { mapFinishReasonToAnthropic } from './map-anthropic-stop-reason.ts';
import { encodeAnthropicUsage } from './map-anthropic-usage.ts';
import { parseToolArguments } from '../shared/parse-tool-arguments.ts';

/**
 * One canonical part as a Message content block. Reasoning from providers without Anthropic's
 * signature gets an empty one: clients can show it, and Bulwark drops it if it is sent back.
 */
export const encodeResultBlock = (part: AssistantContentPart): JsonObject => {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'tool-call':
      return { type: 'tool_use', id: part.id, name: part.name, input: parseToolArguments(part.arguments) };
    case 'reasoning':
      return part.redacted === undefined
        ? { type: 'thinking', thinking: part.text, signature: part.signature ?? '' }
        : { type: 'redacted_thinking', data: part.redacted };
  }
};

/** A canonical result as Anthropic's Message object (https://platform.claude.com/docs/en/api/messages). */
export const encodeAnthropicResult = (result: ChatResult): JsonObject => {
  const usage: JsonObject = { ...encodeAnthropicUsage(result.usage) };
  return {
    id: result.id,
    type: 'message',
    role: 'assistant',
    model: result.model,
    content: result.content.map(encodeResultBlock),
    stop_reason: mapFinishReasonToAnthropic(result.finishReason, result.rawFinishReason, result.stopSequence),
    stop_sequence: result.stopSequence ?? null,
    usage,
  };
};
