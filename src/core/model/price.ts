/**
 * What a model costs, in USD per million tokens. Cache prices fall back to `input` when absent, which
 * is what a provider without prompt caching charges.
 */
export interface Price {
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
}
