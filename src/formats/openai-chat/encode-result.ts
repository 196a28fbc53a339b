import type { ChatResult, JsonObject } from '../../core/model/index.ts';
import { toOpenaiFinishReason } from './map-openai-finish-reason.ts';
import { encodeOpenaiUsage } from './openai-usage.ts';

/**
 * A canonical ChatResult as an OpenAI chat completion object.
 * https://platform.openai.com/docs/api-reference/chat/object
 */
export const encodeResult = (result: ChatResult): JsonObject => {
  const text = result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
  const reasoning = result.content.flatMap((part) => (part.type === 'reasoning' ? [part.text] : [])).join('');
  const toolCalls = result.content.flatMap((part) =>
    part.type === 'tool-call' ? [{ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments } }] : []);
  const message: JsonObject = { role: 'assistant', content: text === '' ? null : text, refusal: null };
  if (toolCalls.length > 0) message['tool_calls'] = toolCalls;
  // Not OpenAI's field, but the de-facto one (DeepSeek, vLLM) clients read reasoning from.
  if (reasoning !== '') message['reasoning_content'] = reasoning;
  return {
    id: result.id,
    object: 'chat.completion',
    created: result.created,
    model: result.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: toOpenaiFinishReason(result.finishReason, result.rawFinishReason) }],
    usage: encodeOpenaiUsage(result.usage),
  };
};
