import type { ChatRequest, JsonObject, ReasoningOptions } from '../../core/model/index.ts';
import { omitKnownFields } from './omit-known-fields.ts';
import type { AnthropicRequest } from './schemas.ts';

/**
 * Extended thinking (https://platform.claude.com/docs/en/build-with-claude/extended-thinking) and
 * effort (https://platform.claude.com/docs/en/build-with-claude/effort).
 *
 * `thinking: {type: 'enabled', budget_tokens}` is canonical `budgetTokens`; `output_config.effort`
 * low/medium/high is canonical `effort`. Whatever has no canonical meaning (adaptive or disabled
 * thinking, `display`, the `xhigh`/`max` efforts) stays in the Anthropic provider options, so an
 * Anthropic-to-Anthropic call sends exactly what the caller sent.
 */

export interface DecodedReasoning {
  reasoning?: ReasoningOptions;
  /** `thinking` and `output_config` fields to keep in `providerOptions`. */
  thinking?: JsonObject;
  outputConfig?: JsonObject;
}

export const decodeAnthropicReasoning = (request: AnthropicRequest): DecodedReasoning => {
  const decoded: DecodedReasoning = {};
  const reasoning: ReasoningOptions = {};
  const { thinking, output_config: outputConfig } = request;
  if (thinking !== undefined) {
    const enabled = thinking.type === 'enabled' && thinking.budget_tokens !== undefined;
    if (enabled) reasoning.budgetTokens = thinking.budget_tokens;
    const rest = omitKnownFields(thinking, enabled ? new Set(['type', 'budget_tokens']) : new Set());
    if (rest !== undefined) decoded.thinking = enabled ? { type: 'enabled', ...rest } : rest;
  }
  if (outputConfig !== undefined) {
    const effort = outputConfig.effort;
    if (effort === 'low' || effort === 'medium' || effort === 'high') reasoning.effort = effort;
    // The effort stays here too: it tells the encoder the caller chose Anthropic's own knob.
    const rest = omitKnownFields(outputConfig, new Set(['format']));
    if (rest !== undefined) decoded.outputConfig = rest;
  }
  if (reasoning.budgetTokens !== undefined || reasoning.effort !== undefined) decoded.reasoning = reasoning;
  return decoded;
};

/**
 * Thinking budgets for an effort that came from another format (OpenAI's `reasoning_effort`).
 * Budget-based thinking works on every Claude model with extended thinking, where the `effort`
 * parameter does not, so a foreign effort becomes a budget. Bulwark's choice, not Anthropic's.
 */
const budgetForEffort = { minimal: 1024, low: 2048, medium: 4096, high: 8192 } as const;

const toAnthropicEffort = (effort: NonNullable<ReasoningOptions['effort']>): string => (effort === 'minimal' ? 'low' : effort);

const minimumBudget = 1024;
const defaultMaxTokens = 4096;

/**
 * Anthropic refuses thinking with a changed temperature or top_k, or with a forced tool choice
 * (https://platform.claude.com/docs/en/build-with-claude/extended-thinking#feature-compatibility).
 * A budget Bulwark derives must not turn a valid request into an invalid one, so then it is not sent.
 */
const thinkingFits = (request: ChatRequest): boolean => {
  const { temperature, topK } = request.sampling;
  const forced = request.toolChoice?.type === 'required' || request.toolChoice?.type === 'tool';
  return (temperature === undefined || temperature === 1) && topK === undefined && !forced;
};

export interface EncodedReasoning {
  maxTokens: number;
  thinking?: JsonObject;
  /** `output_config.effort`, when the caller set Anthropic's effort itself. */
  effort?: string;
}

/**
 * The `max_tokens`, `thinking` and `output_config.effort` to send. Anthropic requires `max_tokens`
 * and a thinking budget below it, so a missing `max_tokens` leaves room for the budget.
 */
export const encodeAnthropicReasoning = (request: ChatRequest, ownOptions: JsonObject | undefined): EncodedReasoning => {
  const requested = request.sampling.maxOutputTokens;
  const outputConfig = ownOptions?.output_config;
  const ownEffort = typeof outputConfig === 'object' && outputConfig !== null && !Array.isArray(outputConfig) ? outputConfig.effort : undefined;
  const { budgetTokens, effort } = request.reasoning ?? {};
  if (budgetTokens !== undefined) {
    const encoded: EncodedReasoning = { maxTokens: requested ?? budgetTokens + defaultMaxTokens, thinking: { type: 'enabled', budget_tokens: budgetTokens } };
    if (ownEffort !== undefined && effort !== undefined) encoded.effort = toAnthropicEffort(effort);
    return encoded;
  }
  if (effort === undefined) return { maxTokens: requested ?? defaultMaxTokens };
  if (ownEffort !== undefined) return { maxTokens: requested ?? defaultMaxTokens, effort: toAnthropicEffort(effort) };
  if (!thinkingFits(request)) return { maxTokens: requested ?? defaultMaxTokens };
  const budget = requested === undefined ? budgetForEffort[effort] : Math.min(budgetForEffort[effort], requested - 1);
  if (budget < minimumBudget) return { maxTokens: requested ?? defaultMaxTokens };
  return { maxTokens: requested ?? budget + defaultMaxTokens, thinking: { type: 'enabled', budget_tokens: budget } };
};
