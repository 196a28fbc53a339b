import type { RequestContext } from '../../core/pipeline/request-context.ts';

/**
 * One verdict of output validation on one answer: a whole result or streamed answer that `passed`, a
 * whole result that was `invalid` (re-asked, or failing the attempt once the re-asks are spent), or a
 * streamed answer that failed at its end (`stream-invalid`: it already reached the caller).
 */
export type ValidationVerdict = 'passed' | 'invalid' | 'stream-invalid';

/**
 * Folds a verdict into the request's validation signal. Validation runs per attempt, and a request may
 * make several (re-asks, fallback targets), so the signal is the story so far: an invalid answer makes
 * it `failed` until a valid one follows, which makes it `reasked`; a valid first answer is `passed`.
 * A streamed answer is never asked again, so its failure is final.
 */
export const recordValidationVerdict = (context: Pick<RequestContext, 'quality'>, verdict: ValidationVerdict): void => {
  const quality = (context.quality ??= {});
  if (verdict === 'passed') quality.validation = quality.validation === undefined || quality.validation === 'passed' ? 'passed' : 'reasked';
  else quality.validation = 'failed';
};
