import { errorCatalog, type AttemptFailure } from '../core/errors/index.ts';
import type { Price, TokenUsage } from '../core/model/index.ts';
import { computeCost } from '../cost/price-catalog.ts';
import type { Random } from '../simulator/deterministic-random.ts';
import type { RequestRecord } from '../stores/contracts.ts';
import type { DemoOutcome } from './choose-outcome.ts';
import { demoModelSpeed, demoProviders, type DemoTarget } from './demo-routes.ts';
import type { RequestPlan } from './plan-request.ts';
import { sampleLogNormal } from './sample-log-normal.ts';
import { synthesizeQualityFields } from './synthesize-quality-fields.ts';

export interface SynthesisContext {
  requestId: string;
  startedAt: number;
  keyId: string;
  /** The price catalog's lookup, as the gateway uses it. */
  lookupPrice: (providerType: string, model: string) => Price | undefined;
  /** Latency multiplier for the serving provider (a slow spell); 1 normally. */
  slowdown: (target: DemoTarget) => number;
}

/** Milliseconds, rounded as the recorder rounds them. */
const milliseconds = (value: number): number => Math.round(value * 1000) / 1000;

/** Time a failed try and the wait after it cost the caller. */
const failureDelayMs = (random: Random, failure: AttemptFailure): number => {
  switch (failure.code) {
    case 'circuit_open':
      return 0.05;
    case 'upstream_rate_limited':
      return sampleLogNormal(random, 120, 0.4) + sampleLogNormal(random, 500, 0.5);
    case 'upstream_invalid_output':
      return sampleLogNormal(random, 2_400, 0.4);
    case 'upstream_context_length_exceeded':
      return sampleLogNormal(random, 180, 0.4);
    default:
      return sampleLogNormal(random, 450, 0.5) + sampleLogNormal(random, 500, 0.5);
  }
};

interface AnswerTiming {
  timeToFirstTokenMs: number;
  totalMs: number;
}

/** How long `target` takes to answer `outputTokens` tokens: a first-token wait, then a steady rate. */
const answerTiming = (random: Random, target: DemoTarget, outputTokens: number, slowdown: number): AnswerTiming => {
  const speed = demoModelSpeed[target.model] ?? { timeToFirstTokenMs: 500, tokensPerSecond: 80 };
  const timeToFirstTokenMs = sampleLogNormal(random, speed.timeToFirstTokenMs, 0.35) * slowdown;
  const generationMs = Number.isFinite(speed.tokensPerSecond) ? (outputTokens / (speed.tokensPerSecond * sampleLogNormal(random, 1, 0.15))) * 1000 * slowdown : 0;
  return { timeToFirstTokenMs, totalMs: timeToFirstTokenMs + generationMs };
};

/**
 * Prompt-cache reads and writes as each provider does them: Anthropic serves a marked system prompt
 * from its cache (and writes it on a miss); OpenAI and Gemini cache long prompts' prefixes on their own.
 */
const cachedTokens = (random: Random, plan: RequestPlan, target: DemoTarget): Pick<TokenUsage, 'cachedInputTokens' | 'cacheWriteInputTokens'> => {
  const input = plan.inputTokens;
  if (target.provider === 'sim-anthropic') {
    if (!plan.key.cachesPrompt) return {};
    const roll = random.next();
    if (roll < 0.85) return { cachedInputTokens: plan.key.systemPromptTokens };
    if (roll < 0.9) return { cacheWriteInputTokens: plan.key.systemPromptTokens };
    return {};
  }
  if (plan.route.kind === 'embeddings' || input < 1_024) return {};
  if (target.provider === 'sim-openai' && random.chance(0.35)) return { cachedInputTokens: Math.floor((input * 0.6) / 128) * 128 };
  if (target.provider === 'sim-gemini' && random.chance(0.2)) return { cachedInputTokens: Math.floor(input * 0.5) };
  return {};
};

const usageOf = (random: Random, plan: RequestPlan, outcome: DemoOutcome): TokenUsage => {
  if (outcome.type !== 'answered') return { inputTokens: 0, outputTokens: 0 };
  return { inputTokens: plan.inputTokens, outputTokens: plan.outputTokens, ...cachedTokens(random, plan, outcome.servedBy) };
};

interface RecordTiming {
  latencyMs: number;
  timeToFirstTokenMs?: number;
}

/**
 * How long the caller waited: gateway overhead, failed tries and the waits after them, then the
 * answer (twice when it was re-asked); the first token only for streams that started.
 */
const timingOf = (random: Random, plan: RequestPlan, outcome: DemoOutcome, failures: readonly AttemptFailure[], context: SynthesisContext): RecordTiming => {
  const overheadMs = sampleLogNormal(random, 3, 0.4);
  const failureMs = failures.reduce((sum, failure) => sum + failureDelayMs(random, failure), 0);
  const beforeAnswerMs = overheadMs + failureMs;
  switch (outcome.type) {
    case 'refused':
      return { latencyMs: sampleLogNormal(random, 0.5, 0.5) };
    case 'failed':
      return { latencyMs: beforeAnswerMs };
    case 'answered': {
      const timing = answerTiming(random, outcome.servedBy, plan.outputTokens, context.slowdown(outcome.servedBy));
      // A re-asked answer was generated twice, the first one thrown away.
      const reaskMs = outcome.validation === 'reasked' && failures.every((failure) => failure.code !== 'upstream_invalid_output') ? timing.totalMs : 0;
      const latencyMs = beforeAnswerMs + reaskMs + timing.totalMs;
      return plan.stream ? { latencyMs, timeToFirstTokenMs: beforeAnswerMs + reaskMs + timing.timeToFirstTokenMs } : { latencyMs };
    }
    case 'cut-off': {
      const timing = answerTiming(random, outcome.servedBy, plan.outputTokens, context.slowdown(outcome.servedBy));
      const latencyMs = beforeAnswerMs + timing.totalMs * random.next();
      if (!plan.stream || outcome.errorCode !== 'upstream_stream_interrupted') return { latencyMs };
      const timeToFirstTokenMs = overheadMs + timing.timeToFirstTokenMs;
      return { latencyMs: Math.max(latencyMs, timeToFirstTokenMs + 1), timeToFirstTokenMs };
    }
  }
};

/**
 * The request-log record of a planned request with the outcome chosen for it: the same fields, set the
 * same way, as `toRequestRecord` gives a real request (tokens and cost only for answers; provider and
 * upstream model of the last target tried; time to first token for streams that started).
 */
export const synthesizeRecord = (random: Random, plan: RequestPlan, outcome: DemoOutcome, context: SynthesisContext): RequestRecord => {
  const usage = usageOf(random, plan, outcome);
  const servedBy = outcome.type === 'refused' ? undefined : outcome.servedBy;
  const price = servedBy === undefined ? undefined : context.lookupPrice(demoProviders[servedBy.provider].type, servedBy.model);
  const status = outcome.type === 'answered' ? 200 : outcome.type === 'refused' ? 429 : errorCatalog[outcome.errorCode].status;
  const failures = outcome.type === 'answered' || outcome.type === 'failed' ? outcome.failures : [];
  const { latencyMs, timeToFirstTokenMs } = timingOf(random, plan, outcome, failures, context);

  const record: RequestRecord = {
    requestId: context.requestId,
    startedAt: context.startedAt,
    endpoint: plan.endpoint,
    clientFormat: plan.clientFormat,
    modelRequested: plan.route.alias,
    stream: plan.stream,
    status,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens ?? 0,
    cacheWriteInputTokens: usage.cacheWriteInputTokens ?? 0,
    reasoningTokens: 0,
    costUsd: price === undefined ? 0 : computeCost(usage, price),
    latencyMs: milliseconds(latencyMs),
    attempts: outcome.type === 'refused' ? 0 : outcome.attempts,
  };
  record.keyId = context.keyId;
  if (plan.endUser !== undefined) record.endUser = plan.endUser;
  if (servedBy !== undefined) {
    record.provider = servedBy.provider;
    record.upstreamModel = servedBy.model;
  }
  if (outcome.type === 'refused') record.errorCode = 'key_rate_limited';
  else if (outcome.type !== 'answered') record.errorCode = outcome.errorCode;
  if (outcome.type === 'answered' && outcome.finishReason !== undefined) record.finishReason = outcome.finishReason;
  if (timeToFirstTokenMs !== undefined) record.timeToFirstTokenMs = milliseconds(timeToFirstTokenMs);
  if (failures.length > 0) record.attemptFailures = [...failures];
  const validation = outcome.type === 'answered' || outcome.type === 'failed' ? outcome.validation : undefined;
  Object.assign(record, synthesizeQualityFields({ status, errorCode: record.errorCode, finishReason: record.finishReason, validation }));
  return record;
};
