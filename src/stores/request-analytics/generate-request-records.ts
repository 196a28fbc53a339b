import type { RequestRecord } from '../contracts.ts';

/** A small deterministic PRNG (mulberry32), so generated logs are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(random: () => number, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

/**
 * Varied request records spread over `days` days from `start`, for analytics tests and the benchmark:
 * several models, providers, keys (some absent), end users, endpoints and statuses, streamed calls with
 * a time to first token.
 */
export function generateRequestRecords(count: number, options: { seed?: number; start?: number; days?: number } = {}): RequestRecord[] {
  const random = seededRandom(options.seed ?? 1);
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const span = (options.days ?? 7) * 86_400_000;
  return Array.from({ length: count }, (_, index) => {
    const stream = random() < 0.5;
    const status = pick(random, [200, 200, 200, 200, 200, 200, 400, 429, 500, 502]);
    const record: RequestRecord = {
      requestId: `req_${index}`,
      startedAt: start + Math.floor(random() * span),
      endpoint: pick(random, ['/v1/chat/completions', '/v1/messages', '/v1/embeddings']),
      clientFormat: 'openai-chat',
      modelRequested: pick(random, ['gpt', 'claude', 'gemini', 'embed']),
      provider: pick(random, ['openai', 'anthropic', 'gemini']),
      stream,
      status,
      inputTokens: Math.floor(random() * 2_000),
      outputTokens: Math.floor(random() * 800),
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      reasoningTokens: 0,
      costUsd: Math.round(random() * 1e6) / 1e8,
      latencyMs: Math.round(random() * 5_000 * 10) / 10,
      attempts: 1,
    };
    const keyId = pick(random, ['vk_a', 'vk_b', 'vk_c', undefined]);
    const endUser = pick(random, ['alice', 'bob', undefined]);
    if (keyId !== undefined) record.keyId = keyId;
    if (endUser !== undefined) record.endUser = endUser;
    if (stream) record.timeToFirstTokenMs = Math.round(random() * 1_000);
    if (status >= 400) record.errorCode = 'upstream_error';
    // Derived, not drawn, so the random sequence (and every figure measured on it) stays the same.
    if (index % 10 !== 0) record.upstreamModel = `${record.modelRequested}-2026`;
    return record;
  });
}
