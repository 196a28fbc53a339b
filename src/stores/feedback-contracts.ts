/**
 * User feedback on a request (`POST /v1/feedback`): one score, and optionally a comment, per request
 * and key. Comments are free text from end users and may hold personal data: never log them.
 */

/** Lowest and highest score: 0 is the worst answer, 1 the best. One scale, so quality can be averaged. */
export const minFeedbackScore = 0;
export const maxFeedbackScore = 1;
/** Longest comment kept, in UTF-16 code units (JavaScript string length). */
export const maxFeedbackCommentLength = 2_000;
/** Longest request id accepted (the gateway's own ids and accepted `x-request-id` values fit). */
export const maxFeedbackRequestIdLength = 128;

export interface FeedbackEntry {
  /** The request the feedback is about, as in the request log. */
  requestId: string;
  /** The virtual key that made the request and gave the feedback. */
  keyId: string;
  /** From `minFeedbackScore` to `maxFeedbackScore`, inclusive. */
  score: number;
  comment?: string;
  /** Epoch ms, set by the caller of `record` (the route uses the clock at receipt). */
  createdAt: number;
}

export interface FeedbackQuery {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive, so adjacent windows never count an entry twice. */
  until?: number;
  keyId?: string;
  /** Defaults to 100; at most 10,000. */
  limit?: number;
}

export interface FeedbackStore {
  /**
   * Stores an entry, replacing any earlier entry for the same request and key (the latest opinion
   * counts). Refuses, with a RangeError or TypeError naming the field (never its value), an empty or
   * over-long request id, a score outside the scale and a comment longer than the cap; nothing is
   * stored then.
   */
  record(entry: FeedbackEntry): Promise<void>;
  /**
   * The entries for a request id, oldest first. Usually one; several only when different keys sent
   * requests under the same caller-supplied id.
   */
  forRequest(requestId: string): Promise<FeedbackEntry[]>;
  /** Entries in a time window, newest first. */
  list(query?: FeedbackQuery): Promise<FeedbackEntry[]>;
}

/**
 * Whether the request log holds a request with this id made with this key. Feedback is only taken on
 * one's own requests: another key's request looks the same as an unknown one.
 */
export type RequestOwnershipCheck = (requestId: string, keyId: string) => Promise<boolean>;

export const defaultFeedbackLimit = 100;
export const maxFeedbackLimit = 10_000;

/** Checks an entry the same way for every store; messages name the field, never its value. */
export function assertFeedbackEntry(entry: FeedbackEntry): void {
  const { requestId, keyId, score, comment, createdAt } = entry;
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > maxFeedbackRequestIdLength) {
    throw new RangeError(`feedback: requestId must be 1 to ${maxFeedbackRequestIdLength} characters`);
  }
  if (typeof keyId !== 'string' || keyId.length === 0) throw new TypeError('feedback: keyId is required');
  if (typeof score !== 'number' || !(score >= minFeedbackScore && score <= maxFeedbackScore)) {
    throw new RangeError(`feedback: score must be a number from ${minFeedbackScore} to ${maxFeedbackScore}`);
  }
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > maxFeedbackCommentLength)) {
    throw new RangeError(`feedback: comment must be a string of at most ${maxFeedbackCommentLength} characters`);
  }
  if (!Number.isFinite(createdAt)) throw new TypeError('feedback: createdAt must be epoch milliseconds');
}

/** Checks a query and applies its default limit. */
export function normalizeFeedbackQuery(query: FeedbackQuery): Required<Pick<FeedbackQuery, 'limit'>> & FeedbackQuery {
  const limit = query.limit ?? defaultFeedbackLimit;
  if (!Number.isInteger(limit) || limit < 0 || limit > maxFeedbackLimit) {
    throw new RangeError(`feedback query: limit must be an integer from 0 to ${maxFeedbackLimit}`);
  }
  for (const field of ['since', 'until'] as const) {
    const value = query[field];
    if (value !== undefined && !Number.isFinite(value)) throw new RangeError(`feedback query: ${field} must be epoch milliseconds`);
  }
  if (query.keyId !== undefined && typeof query.keyId !== 'string') throw new TypeError('feedback query: keyId must be a string');
  return { ...query, limit };
}
