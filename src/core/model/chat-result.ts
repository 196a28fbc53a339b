import type { AssistantContentPart } from './content-part.ts';
import type { FinishReason } from './finish-reason.ts';
import type { TokenUsage } from './token-usage.ts';

/** A complete (non-streamed) answer in canonical form. */
export interface ChatResult {
  /** The provider's response id, or one Bulwark made where the provider gives none. */
  id: string;
  /** The upstream model that produced the answer, as the provider named it. */
  model: string;
  /** Unix time, seconds. */
  created: number;
  content: AssistantContentPart[];
  finishReason: FinishReason;
  /** The provider's own stop reason, for logs and same-format passthrough. */
  rawFinishReason?: string;
  /** The stop sequence that ended generation, where the provider says which. */
  stopSequence?: string;
  usage: TokenUsage;
}
