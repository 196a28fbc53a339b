import { randomUUID } from 'node:crypto';
import type { AssistantContentPart, ChatResult, JsonValue, ReasoningPart } from '../../core/model/index.ts';
import { parseUpstreamBody } from '../shared/parse-with-schema.ts';
import { jsonResponseToolName, type StructuredOutputMode } from './bedrock-converse-options.ts';
import { definedProperties } from './defined-properties.ts';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.ts';
import { mapBedrockUsage } from './map-bedrock-usage.ts';
import { converseResponseSchema, type BedrockContentBlock } from './schemas.ts';
import { argumentsOfToolInput } from './tool-input.ts';

/**
 * A Converse response in canonical form.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 *
 * The body carries neither an id nor the model. The id is a random UUID, in the manner of the
 * `x-amzn-requestid` header (a provider that has the header at hand may put it instead); `model` is
 * left empty for the provider, which knows the model id it called, to fill in.
 * `metrics.latencyMs` is ignored: Bulwark measures latency itself. Blocks with no canonical meaning
 * in an answer (images, documents) are skipped; cited text is kept as text.
 */
export const decodeBedrockResult = (body: unknown, structuredOutput: StructuredOutputMode = 'native'): ChatResult => {
  const response = parseUpstreamBody(converseResponseSchema, body, 'Converse response');
  const blocks = response.output.message?.content ?? [];
  const content = blocks.flatMap((block) => decodeAnswerBlock(block, structuredOutput));
  let finishReason = mapBedrockStopReason(response.stopReason);
  // In tool mode the forced answer tool is the answer itself, not a call for the caller to make.
  if (finishReason === 'tool-calls' && !content.some((part) => part.type === 'tool-call')) finishReason = 'stop';
  return definedProperties<ChatResult>({
    id: randomUUID(),
    model: '',
    created: Math.floor(Date.now() / 1000),
    content,
    finishReason,
    rawFinishReason: response.stopReason,
    stopSequence: stopSequenceOf(response.additionalModelResponseFields),
    usage: mapBedrockUsage(response.usage),
  });
};

/** Anthropic models report the matched stop sequence in `additionalModelResponseFields.stop_sequence`. */
export const stopSequenceOf = (fields: JsonValue | undefined): string | undefined => {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  const stopSequence = fields.stop_sequence;
  return typeof stopSequence === 'string' ? stopSequence : undefined;
};

const decodeAnswerBlock = (block: BedrockContentBlock, structuredOutput: StructuredOutputMode): AssistantContentPart[] => {
  if (block.text !== undefined) return [{ type: 'text', text: block.text }];
  if (block.toolUse !== undefined) {
    const { toolUseId, name, input } = block.toolUse;
    if (structuredOutput === 'tool' && name === jsonResponseToolName) return [{ type: 'text', text: argumentsOfToolInput(input) }];
    return [{ type: 'tool-call', id: toolUseId, name, arguments: argumentsOfToolInput(input) }];
  }
  const reasoning = block.reasoningContent;
  if (reasoning?.reasoningText !== undefined) {
    return [definedProperties<ReasoningPart>({ type: 'reasoning', text: reasoning.reasoningText.text, signature: reasoning.reasoningText.signature })];
  }
  if (reasoning?.redactedContent !== undefined) return [{ type: 'reasoning', text: '', redacted: reasoning.redactedContent }];
  const cited = block.citationsContent?.content?.flatMap((item) => (item.text === undefined ? [] : [item.text])) ?? [];
  return cited.length === 0 ? [] : [{ type: 'text', text: cited.join('') }];
};
