import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../core/errors/index.ts';
import { emptyUsage, type AssistantContentPart, type ChatResult } from '../../core/model/index.ts';
import { parseUpstreamBody } from '../shared/parse-with-schema.ts';
import { classifyOpenaiError, describeUpstreamError, findErrorDetails } from './decode-error.ts';
import { fastCompletionShape } from './fast-response-shape.ts';
import { mapOpenaiFinishReason } from './map-openai-finish-reason.ts';
import { decodeOpenaiUsage } from './openai-usage.ts';
import { chatCompletionSchema } from './response-schemas.ts';

/**
 * An OpenAI chat completion object to a canonical ChatResult.
 * https://platform.openai.com/docs/api-reference/chat/object
 */

/** Some servers answer 200 with an error body (OpenRouter, vLLM): that is a failure, not a malformed answer. */
const throwIfErrorBody = (body: unknown): void => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  if (!('error' in body) && Reflect.get(body, 'object') !== 'error') return;
  const details = findErrorDetails(body);
  if (details === undefined) return;
  throw new GatewayError(classifyOpenaiError(undefined, details), describeUpstreamError(details, 'The provider answered with an error'));
};

export const decodeResult = (body: unknown): ChatResult => {
  throwIfErrorBody(body);
  // The common shape is checked without zod; anything else gets the schema and its precise errors.
  const completion = fastCompletionShape(body) ?? parseUpstreamBody(chatCompletionSchema, body, 'chat completion');
  // Bulwark never asks for n > 1; a server that sends several choices anyway is read for the first.
  const choice = completion.choices.find((candidate) => (candidate.index ?? 0) === 0) ?? completion.choices[0];
  if (choice === undefined) throw new GatewayError('upstream_invalid_response', 'The provider sent a chat completion with no choices');
  const { message } = choice;
  const content: AssistantContentPart[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') content.push({ type: 'reasoning', text: reasoning });
  if (typeof message.content === 'string' && message.content !== '') content.push({ type: 'text', text: message.content });
  // The canonical model has no refusal marker: the refusal is what the assistant said.
  if (typeof message.refusal === 'string' && message.refusal !== '') content.push({ type: 'text', text: message.refusal });
  for (const call of message.tool_calls ?? []) {
    content.push({ type: 'tool-call', id: call.id, name: call.function.name, arguments: call.function.arguments });
  }
  return {
    id: completion.id ?? `chatcmpl-${randomUUID()}`,
    model: completion.model ?? '',
    created: completion.created ?? Math.floor(Date.now() / 1000),
    content,
    ...mapOpenaiFinishReason(choice.finish_reason),
    // A server that reports no usage leaves counting to Bulwark's tokenizer downstream.
    usage: completion.usage === undefined || completion.usage === null ? emptyUsage() : decodeOpenaiUsage(completion.usage),
  };
};
