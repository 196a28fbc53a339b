import type { ChatRequest, FinishReason, JsonSchema, TokenUsage } from '../core/model/index.ts';
import { chooseToolCalls, type PlannedToolCall } from './choose-tool-calls.ts';
import { countTextTokens, truncateToTokens } from './count-tokens.ts';
import { createRandom, hashString, type Random } from './deterministic-random.ts';
import { generateJsonValue } from './generate-json-value.ts';
import { generateProse, generateSentence } from './generate-prose.ts';
import type { PromptCache } from './prompt-cache.ts';
import { lastUserText, readDirectives } from './read-directives.ts';
import { requestSegments, type PromptSegment } from './request-segments.ts';

/** The simulated model's whole answer, before any fault or wire format touches it. */
export interface PlannedAnswer {
  reasoning?: string;
  /** Absent when the answer is only tool calls. */
  text?: string;
  toolCalls: PlannedToolCall[];
  finishReason: FinishReason;
  stopSequence?: string;
  usage: TokenUsage;
  /** The request's seed, for anything else that must be deterministic (jitter, ids). */
  seed: number;
}

export interface PlanOptions {
  promptCache: PromptCache;
  /** Prefix of tool call ids in the provider's style (`call_`, `toolu_`, `tooluse_`). */
  toolCallIdPrefix: string;
  /** Range of prose lengths, in tokens. */
  proseTokens: { min: number; max: number };
}

/** Shape of the object answered to `json_object` requests. */
const looseObjectSchema: JsonSchema = {
  type: 'object',
  properties: { answer: { type: 'string' }, confidence: { type: 'number', minimum: 0, maximum: 1 }, topics: { type: 'array', items: { type: 'string' } } },
  required: ['answer', 'confidence'],
};

/** Same model and same conversation → same seed; a caller's `seed` varies it. */
const requestSeed = (request: ChatRequest, segments: readonly PromptSegment[]): number => {
  let hash = hashString(request.model, request.sampling.seed ?? 0x811c9dc5);
  for (const segment of segments) hash = hashString(segment.text, hash);
  return hash;
};

const generateText = (request: ChatRequest, random: Random, options: PlanOptions, length: number | undefined): string => {
  const format = request.responseFormat;
  if (format?.type === 'json-schema') return JSON.stringify(generateJsonValue(format.schema, random));
  if (format?.type === 'json-object') return JSON.stringify(generateJsonValue(looseObjectSchema, random));
  return generateProse(random, length ?? random.integer(options.proseTokens.min, options.proseTokens.max));
};

/** Cuts `text` at the first stop sequence it contains, as providers do (the sequence is not returned). */
const applyStopSequences = (text: string, stops: readonly string[] | undefined): { text: string; stopSequence?: string } => {
  let cut: { text: string; stopSequence?: string } = { text };
  for (const stop of stops ?? []) {
    const at = stop === '' ? -1 : text.indexOf(stop);
    if (at !== -1 && at < cut.text.length) cut = { text: text.slice(0, at), stopSequence: stop };
  }
  return cut;
};

const planReasoning = (request: ChatRequest, random: Random): string | undefined => {
  if (request.reasoning === undefined) return undefined;
  const sentences = request.reasoning.effort === 'high' ? 3 : request.reasoning.effort === 'minimal' ? 1 : 2;
  const text = `Let me think about this. ${Array.from({ length: sentences }, () => generateSentence(random)).join(' ')}`;
  const budget = request.reasoning.budgetTokens;
  return budget === undefined ? text : truncateToTokens(text, budget);
};

/**
 * Decides what the simulated model answers: deterministic for a given request, honouring tools and
 * tool choice, response formats, reasoning, stop sequences and the output token limit (reasoning
 * counts against it, as at OpenAI and Anthropic).
 */
export const planAnswer = (request: ChatRequest, options: PlanOptions): PlannedAnswer => {
  const segments = requestSegments(request);
  const seed = requestSeed(request, segments);
  const random = createRandom(seed);
  const input = options.promptCache.count(request.model, segments);
  const userText = lastUserText(request);
  const directives = readDirectives(userText);
  const reasoning = planReasoning(request, random);
  const reasoningTokens = reasoning === undefined ? 0 : countTextTokens(reasoning);
  const toolCalls = directives.reply === undefined ? chooseToolCalls(request, userText, random, options.toolCallIdPrefix) : [];
  let text: string | undefined;
  let finishReason: FinishReason = toolCalls.length > 0 ? 'tool-calls' : 'stop';
  let stopSequence: string | undefined;
  if (directives.reply !== undefined) text = directives.reply;
  else if (toolCalls.length === 0) {
    const stopped = applyStopSequences(generateText(request, random, options, directives.length), request.sampling.stopSequences);
    ({ text, stopSequence } = stopped);
    const room = Math.max(0, (request.sampling.maxOutputTokens ?? Number.POSITIVE_INFINITY) - reasoningTokens);
    if (countTextTokens(text) > room) {
      text = truncateToTokens(text, room);
      finishReason = 'length';
      stopSequence = undefined;
    }
  }
  const outputTokens = reasoningTokens + countTextTokens(text ?? '') + toolCalls.reduce((sum, call) => sum + countTextTokens(call.name) + countTextTokens(call.arguments), 0);
  const usage: TokenUsage = { inputTokens: input.inputTokens, outputTokens };
  if (input.cachedInputTokens > 0) usage.cachedInputTokens = input.cachedInputTokens;
  if (input.cacheWriteInputTokens > 0) usage.cacheWriteInputTokens = input.cacheWriteInputTokens;
  if (reasoning !== undefined) usage.reasoningTokens = reasoningTokens;
  const answer: PlannedAnswer = { toolCalls, finishReason, usage, seed };
  if (reasoning !== undefined) answer.reasoning = reasoning;
  if (text !== undefined) answer.text = text;
  if (stopSequence !== undefined) answer.stopSequence = stopSequence;
  return answer;
};
