import type { ChatRequest, JsonObject, JsonValue, ToolDefinition } from '../../core/model/index.ts';
import type { EncodeRequestContext } from '../wire-format.ts';
import { encodeAnthropicMessages } from './encode-messages.ts';
import { encodeAnthropicReasoning } from './map-anthropic-reasoning.ts';
import { withCacheControl } from './map-cache-control.ts';
import { encodeResponseFormat } from './map-response-format.ts';

/**
 * A canonical request as an Anthropic Messages request body
 * (https://platform.claude.com/docs/en/api/messages). `max_tokens` is required there, so it defaults
 * to 4096 (plus any thinking budget) when the canonical request has none. Sampling fields Anthropic
 * lacks (seed, frequency and presence penalties) are dropped; this format's own provider options
 * are re-emitted, other formats' are not.
 */
export const encodeAnthropicRequest = (request: ChatRequest, context: EncodeRequestContext): JsonObject => {
  const own = request.providerOptions?.['anthropic-messages'];
  const { system, messages } = encodeAnthropicMessages(request.messages);
  const reasoning = encodeAnthropicReasoning(request, own);
  const body: JsonObject = { model: context.model, max_tokens: reasoning.maxTokens };
  if (system !== undefined) body.system = system;
  body.messages = messages;
  const { sampling } = request;
  if (sampling.stopSequences !== undefined && sampling.stopSequences.length > 0) body.stop_sequences = sampling.stopSequences;
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (sampling.topK !== undefined) body.top_k = sampling.topK;
  if (request.stream) body.stream = true;
  encodeTools(request, body);
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (reasoning.thinking !== undefined) body.thinking = reasoning.thinking;
  const format = encodeResponseFormat(request.responseFormat);
  if (format !== undefined || reasoning.effort !== undefined) {
    const outputConfig: JsonObject = {};
    if (format !== undefined) outputConfig.format = format;
    if (reasoning.effort !== undefined) outputConfig.effort = reasoning.effort;
    body.output_config = outputConfig;
  }
  return own === undefined ? body : mergeOwnOptions(body, own);
};

/** Anthropic requires an object schema; OpenAI allows a function with no parameters at all. */
const encodeTool = (tool: ToolDefinition): JsonObject => {
  const encoded: JsonObject = { name: tool.name };
  if (tool.description !== undefined) encoded.description = tool.description;
  encoded.input_schema = tool.parameters.type === undefined ? { type: 'object', ...tool.parameters } : tool.parameters;
  if (tool.strict !== undefined) encoded.strict = tool.strict;
  return withCacheControl(encoded, tool.cacheControl);
};

/** `tool_choice` only makes sense with tools; `parallelToolCalls` is `disable_parallel_tool_use` inverted. */
const encodeTools = (request: ChatRequest, body: JsonObject): void => {
  if (request.tools === undefined || request.tools.length === 0) return;
  body.tools = request.tools.map(encodeTool);
  const choice = request.toolChoice;
  if (choice?.type === 'none') {
    body.tool_choice = { type: 'none' };
    return;
  }
  if (choice === undefined && request.parallelToolCalls === undefined) return;
  const encoded: JsonObject =
    choice?.type === 'required' ? { type: 'any' } : choice?.type === 'tool' ? { type: 'tool', name: choice.name } : { type: 'auto' };
  if (request.parallelToolCalls !== undefined) encoded.disable_parallel_tool_use = !request.parallelToolCalls;
  body.tool_choice = encoded;
};

const isJsonObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Fields the caller sent that have no canonical meaning; where both set an object, the canonical side wins per key. */
const mergeOwnOptions = (body: JsonObject, own: JsonObject): JsonObject => {
  const merged: JsonObject = { ...body };
  for (const [key, value] of Object.entries(own)) {
    const current = merged[key];
    if (current === undefined) merged[key] = value;
    else if (isJsonObject(current) && isJsonObject(value)) merged[key] = { ...value, ...current };
  }
  return merged;
};
