import type { FinishReason } from '../../core/model/index.ts';

/**
 * Anthropic's `stop_reason` values
 * (https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons) in canonical terms.
 * `pause_turn` (a server tool paused a long turn) has no canonical equivalent, so it is `other` and
 * the raw value travels in `rawFinishReason`.
 */
export const mapAnthropicStopReason = (stopReason: string | null | undefined): FinishReason => {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
};

const anthropicStopReasons: ReadonlySet<string> = new Set([
  'end_turn', 'max_tokens', 'stop_sequence', 'tool_use', 'pause_turn', 'refusal', 'model_context_window_exceeded',
]);

/**
 * The `stop_reason` to tell an Anthropic client. The provider's own word wins when it is an Anthropic
 * stop reason that still means the same thing (same-format passthrough); otherwise the canonical
 * reason is mapped, with `end_turn` for reasons Anthropic has no word for.
 */
export const mapFinishReasonToAnthropic = (finishReason: FinishReason, rawFinishReason?: string, stopSequence?: string): string => {
  if (rawFinishReason !== undefined && anthropicStopReasons.has(rawFinishReason) && mapAnthropicStopReason(rawFinishReason) === finishReason) {
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
      return 'refusal';
    default:
      return 'end_turn';
  }
};
