/**
 * The standard normal quantile: the z with P(Z ≤ z) = `probability`.
 *
 * Peter Acklam's rational approximation (relative error below 1.2e-9 over the whole open interval),
 * which is far more precise than any spend forecast needs and avoids a table of fixed levels.
 * https://web.archive.org/web/20151030215612/http://home.online.no/~pjacklam/notes/invnorm/
 */

const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Below this (and above 1 − this) the tail formula is used. */
const lowBreak = 0.02425;

/** Horner evaluation of `coefficients` (highest power first) at `x`. */
const polynomial = (coefficients: readonly number[], x: number): number => coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);

/** Throws a RangeError unless 0 < `probability` < 1. */
export function inverseNormalCdf(probability: number): number {
  if (!(probability > 0 && probability < 1)) throw new RangeError(`probability must be strictly between 0 and 1, got ${probability}`);
  if (probability < lowBreak) {
    const q = Math.sqrt(-2 * Math.log(probability));
    return polynomial(c, q) / (polynomial(d, q) * q + 1);
  }
  if (probability > 1 - lowBreak) return -inverseNormalCdf(1 - probability);
  const q = probability - 0.5;
  const r = q * q;
  return (polynomial(a, r) * q) / (polynomial(b, r) * r + 1);
}
