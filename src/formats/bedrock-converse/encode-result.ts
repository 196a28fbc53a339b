import type { AssistantContentPart, ChatResult, JsonObject } from '../../core/model/index.ts';
import { definedJson } from './defined-properties.ts';
import { bedrockStopReasonFor } from './map-bedrock-stop-reason.ts';
import { toBedrockUsage } from './map-bedrock-usage.ts';
import { toolInputOfArguments } from './tool-input.ts';

/**
 * A canonical result as a Converse response body. Bedrock's body has no id or model (the SDKs read the
 * request id from the `x-amzn-requestid` header), so those are not written here. `metrics.latencyMs`
 * is required by the shape and unknown to the result: 0.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 */
export const encodeBedrockResult = (result: ChatResult): JsonObject => {
  const usage = toBedrockUsage(result.usage);
  return definedJson({
    output: { message: { role: 'assistant', content: result.content.flatMap(encodeAnswerPart) } },
    stopReason: bedrockStopReasonFor(result.finishReason, result.rawFinishReason, result.stopSequence),
    usage: definedJson({ ...usage }),
    metrics: { latencyMs: 0 },
    additionalModelResponseFields: result.stopSequence === undefined ? undefined : { stop_sequence: result.stopSequence },
  });
};

const encodeAnswerPart = (part: AssistantContentPart): JsonObject[] => {
  switch (part.type) {
    case 'text':
      return [{ text: part.text }];
    case 'tool-call':
      return [{ toolUse: { toolUseId: part.id, name: part.name, input: toolInputOfArguments(part.arguments) } }];
    case 'reasoning':
      return [
        {
          reasoningContent:
            part.redacted === undefined ? { reasoningText: definedJson({ text: part.text, signature: part.signature }) } : { redactedContent: part.redacted },
        },
      ];
  }
};
