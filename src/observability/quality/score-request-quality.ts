import type { QualitySignals } from '../../core/pipeline/request-context.ts';

/** What the score is computed from: the request's outcome and the stages' quality signals. */
export interface RequestQualityFacts {
  /** The HTTP status the caller got. */
  status: number;
  errorCode?: string;
  /** The canonical finish reason (`stop`, `length`, `tool-calls`, `content-filter`, `error`, `other`). */
  finishReason?: string;
  quality?: QualitySignals;
}

/** What each guard flag (any flag but `degraded`) takes off the score. */
export const guardFlagPenalty = 0.25;

/** A score for answers that were usable but not right the first time: re-asked, or cut off at the token limit. */
export const impairedAnswerScore = 0.5;

/**
 * The automatic quality score of one request, 0 (worst) to 1 (best), or undefined when the request
 * says nothing about the quality of an answer. The rule, in order (docs/quality.md):
 *
 * 1. 0 when the answer was bad: the attempt failed with `upstream_invalid_output`, output validation
 *    failed (even if the request then failed for another reason: the model's invalid answer is the
 *    observation), the degradation stage answered with its fallback message (`degraded`), or the
 *    provider stopped for its content filter (`content-filter`) or because its own output was malformed
 *    (`error`, Bedrock's `malformed_model_output`).
 * 2. Absent when there was no answer for a reason that is not the answer's: any other error (the
 *    caller's 4xx, a rate limit, 5xx, a timeout, a stream cut off or abandoned), or no finish reason at
 *    all (embeddings generate no answer to judge).
 * 3. Otherwise the answer counts: 0.5 when it was re-asked (or came from a fallback after an invalid
 *    one) or cut off at the token limit (`length`), else 1; then each distinct guard flag takes 0.25
 *    off, down to 0.
 */
export const scoreRequestQuality = (facts: RequestQualityFacts): number | undefined => {
  const { status, errorCode, finishReason, quality } = facts;
  const flags = new Set(quality?.flags);
  if (
    errorCode === 'upstream_invalid_output' ||
    quality?.validation === 'failed' ||
    flags.has('degraded') ||
    finishReason === 'content-filter' ||
    finishReason === 'error'
  ) {
    return 0;
  }
  if (status >= 400 || errorCode !== undefined || finishReason === undefined) return undefined;
  const base = quality?.validation === 'reasked' || finishReason === 'length' ? impairedAnswerScore : 1;
  return Math.max(0, base - guardFlagPenalty * flags.size);
};
