import { scoreRequestQuality } from '../observability/quality/score-request-quality.ts';
import type { RequestRecord } from '../stores/contracts.ts';

/** What a synthesized request's quality fields follow from. */
export interface QualityFacts {
  status: number;
  errorCode?: string;
  finishReason?: string;
  /** Output validation's verdict; absent when it did not run (embeddings, failures before an answer). */
  validation?: 'passed' | 'reasked' | 'failed';
}

/**
 * The record's optional quality fields, set as the request recorder sets them: the signals only when
 * something was observed, and the score from the same rule (`scoreRequestQuality`), so that a
 * synthesized record scores exactly as a real one with the same facts would.
 */
export const synthesizeQualityFields = (facts: QualityFacts): Pick<RequestRecord, 'qualityScore' | 'qualitySignals'> => {
  const fields: Pick<RequestRecord, 'qualityScore' | 'qualitySignals'> = {};
  const quality = facts.validation === undefined ? undefined : { validation: facts.validation };
  if (quality !== undefined) fields.qualitySignals = quality;
  const { status, errorCode, finishReason } = facts;
  const score = scoreRequestQuality({ status, errorCode, finishReason, quality });
  if (score !== undefined) fields.qualityScore = score;
  return fields;
};
