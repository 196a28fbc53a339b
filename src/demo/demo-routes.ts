/**
 * The demo's routes: one definition that both the generated config and the traffic model read, so
 * that synthesized history and live requests name the same aliases, providers and upstream models.
 * Every provider points at the provider simulator; the names say so.
 */

export const demoProviders = {
  'sim-openai': { type: 'openai-compatible', path: '/v1' },
  'sim-anthropic': { type: 'anthropic', path: '' },
  'sim-gemini': { type: 'gemini', path: '' },
} as const;

export type DemoProviderName = keyof typeof demoProviders;

export interface DemoTarget {
  provider: DemoProviderName;
  model: string;
}

/** Median and log-normal spread of a token count. */
export interface TokenProfile {
  median: number;
  sigma: number;
}

export interface DemoRoute {
  alias: string;
  kind: 'chat' | 'embeddings';
  /** In order: the first serves, the rest are fallbacks. */
  targets: readonly [DemoTarget, ...DemoTarget[]];
  inputTokens: TokenProfile;
  /** Unused for embeddings, which generate no text. */
  outputTokens: TokenProfile;
  /** Share of chat requests that stream. */
  streamShare: number;
  /** Every request asks for JSON output matching `extractionSchema`. */
  structuredOutput: boolean;
  /** Share of answers that output validation rejects once and gets right when asked again. */
  reaskShare: number;
}

export type DemoRouteAlias = 'fast' | 'smart' | 'claude' | 'gemini' | 'extract' | 'embed';

export const demoRoutes: Record<DemoRouteAlias, DemoRoute> = {
  fast: {
    alias: 'fast', kind: 'chat', targets: [{ provider: 'sim-openai', model: 'gpt-4o-mini' }],
    inputTokens: { median: 650, sigma: 0.7 }, outputTokens: { median: 170, sigma: 0.6 }, streamShare: 0.5, structuredOutput: false, reaskShare: 0.004,
  },
  smart: {
    alias: 'smart', kind: 'chat', targets: [{ provider: 'sim-openai', model: 'gpt-4.1' }, { provider: 'sim-anthropic', model: 'claude-sonnet-4-5' }],
    inputTokens: { median: 2_200, sigma: 0.8 }, outputTokens: { median: 420, sigma: 0.6 }, streamShare: 0.6, structuredOutput: false, reaskShare: 0.004,
  },
  claude: {
    alias: 'claude', kind: 'chat', targets: [{ provider: 'sim-anthropic', model: 'claude-sonnet-4-5' }],
    inputTokens: { median: 1_800, sigma: 0.7 }, outputTokens: { median: 330, sigma: 0.6 }, streamShare: 0.7, structuredOutput: false, reaskShare: 0.004,
  },
  gemini: {
    alias: 'gemini', kind: 'chat', targets: [{ provider: 'sim-gemini', model: 'gemini-2.5-flash' }],
    inputTokens: { median: 1_200, sigma: 0.8 }, outputTokens: { median: 280, sigma: 0.7 }, streamShare: 0.5, structuredOutput: false, reaskShare: 0.006,
  },
  extract: {
    alias: 'extract', kind: 'chat', targets: [{ provider: 'sim-openai', model: 'gpt-4.1-mini' }, { provider: 'sim-gemini', model: 'gemini-2.5-flash' }],
    inputTokens: { median: 900, sigma: 0.5 }, outputTokens: { median: 45, sigma: 0.3 }, streamShare: 0, structuredOutput: true, reaskShare: 0.04,
  },
  embed: {
    alias: 'embed', kind: 'embeddings', targets: [{ provider: 'sim-openai', model: 'text-embedding-3-small' }],
    inputTokens: { median: 320, sigma: 0.9 }, outputTokens: { median: 0, sigma: 0 }, streamShare: 0, structuredOutput: false, reaskShare: 0,
  },
};

/** The JSON schema `extract` asks for, and the fields its output validation requires. */
export const extractionSchema = {
  type: 'object',
  properties: {
    invoice_number: { type: 'string' },
    vendor: { type: 'string' },
    total: { type: 'number' },
    currency: { type: 'string' },
  },
  required: ['invoice_number', 'vendor', 'total', 'currency'],
  additionalProperties: false,
} as const;

export const extractionRequiredFields = ['invoice_number', 'total'] as const;

/**
 * How fast each upstream model answers in the synthesized history: median time to first token and
 * output tokens per second (embeddings: the median of the whole call). Rough public figures.
 */
export const demoModelSpeed: Record<string, { timeToFirstTokenMs: number; tokensPerSecond: number }> = {
  'gpt-4o-mini': { timeToFirstTokenMs: 380, tokensPerSecond: 95 },
  'gpt-4.1': { timeToFirstTokenMs: 650, tokensPerSecond: 75 },
  'gpt-4.1-mini': { timeToFirstTokenMs: 420, tokensPerSecond: 85 },
  'claude-sonnet-4-5': { timeToFirstTokenMs: 900, tokensPerSecond: 70 },
  'gemini-2.5-flash': { timeToFirstTokenMs: 420, tokensPerSecond: 160 },
  'text-embedding-3-small': { timeToFirstTokenMs: 140, tokensPerSecond: Number.POSITIVE_INFINITY },
};
