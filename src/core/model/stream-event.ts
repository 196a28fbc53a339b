import type { FinishReason } from './finish-reason.ts';
import type { TokenUsage } from './token-usage.ts';

/**
 * What a streamed answer is made of, in order. A well-formed stream is:
 *
 *   stream-start, then any of text-delta / reasoning-delta / tool-call-start / tool-call-delta / usage,
 *   then finish, then optionally usage, and nothing after that;
 *
 * or, when it fails part-way, the same prefix followed by one `error` and nothing else. A stream that
 * ends without `finish` or `error` was cut off, and consumers must treat it as an error.
 *
 * Tool calls are numbered by `index` in the order they start (0, 1, ...), independently of how the
 * provider numbers its content blocks. `usage` events carry the cumulative usage known so far; the
 * last one wins.
 */
export type StreamEvent =
  | { type: 'stream-start'; id: string; model: string; created: number }
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string; signature?: string; redacted?: string }
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason?: string; stopSequence?: string }
  | { type: 'error'; code: string; message: string };

export type StreamEventType = StreamEvent['type'];
