import type { FinishReason } from '../../core/model/index.ts';

/**
 * Bedrock's stop reasons, both ways.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 */
const bedrockStopReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool-calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
  malformed_model_output: 'error',
  malformed_tool_use: 'error',
};

/** Bedrock's `stopReason` in canonical terms; an unknown (newer) reason is `other`. */
export const mapBedrockStopReason = (stopReason: string): FinishReason =>
  Object.hasOwn(bedrockStopReasons, stopReason) ? (bedrockStopReasons[stopReason] ?? 'other') : 'other';

/**
 * The Bedrock `stopReason` for a canonical finish. The provider's own word is reused when it is a
 * Bedrock reason that means the same thing (same-format passthrough keeps `guardrail_intervened`).
 */
export const bedrockStopReasonFor = (finishReason: FinishReason, rawFinishReason?: string, stopSequence?: string): string => {
  if (rawFinishReason !== undefined && Object.hasOwn(bedrockStopReasons, rawFinishReason) && bedrockStopReasons[rawFinishReason] === finishReason) {
    return rawFinishReason;
  }
  switch (finishReason) {
    case 'stop':
      return stopSequence === undefined ? 'end_turn' : 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'content_filtered';
    case 'error':
      return 'malformed_model_output';
    case 'other':
      return 'end_turn';
  }
};
