import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest, JsonObject, Sampling, ToolChoice, ToolDefinition } from '../../core/model/index.ts';
import type { DecodeRequestContext } from '../wire-format.ts';
import { parseRequestBody } from '../shared/parse-with-schema.ts';
import { decodeAnthropicMessages } from './decode-messages.ts';
import { decodeAnthropicReasoning } from './map-anthropic-reasoning.ts';
import { decodeCacheControl } from './map-cache-control.ts';
import { decodeResponseFormat } from './map-response-format.ts';
import { omitKnownFields } from './omit-known-fields.ts';
import { anthropicRequestSchema, knownRequestFields, type AnthropicRequest } from './schemas.ts';

/**
 * A caller's Anthropic Messages request (https://platform.claude.com/docs/en/api/messages) in
 * canonical form. Malformed bodies, unsupported block types and server tools throw `invalid_request`
 * naming the field at fault.
 */
export const decodeAnthropicRequest = (body: unknown, context: DecodeRequestContext = {}): ChatRequest => {
  const request = parseRequestBody(anthropicRequestSchema, body);
  const model = request.model ?? context.model;
  if (model === undefined) throw new GatewayError('invalid_request', 'model: is required', { param: 'model' });
  const { reasoning, thinking, outputConfig } = decodeAnthropicReasoning(request);
  const decoded: ChatRequest = {
    model,
    messages: decodeAnthropicMessages(request.system, request.messages),
    sampling: decodeSampling(request),
    stream: request.stream ?? context.stream ?? false,
  };
  if (request.tools !== undefined) decoded.tools = request.tools.map(decodeTool);
  decodeToolChoice(request, decoded);
  const responseFormat = decodeResponseFormat(request.output_config?.format ?? request.output_format);
  if (responseFormat !== undefined) decoded.responseFormat = responseFormat;
  if (reasoning !== undefined) decoded.reasoning = reasoning;
  const user = request.metadata?.user_id;
  if (typeof user === 'string') decoded.user = user;
  const providerOptions = collectProviderOptions(request, thinking, outputConfig);
  if (providerOptions !== undefined) decoded.providerOptions = { 'anthropic-messages': providerOptions };
  return decoded;
};

const decodeSampling = (request: AnthropicRequest): Sampling => {
  const sampling: Sampling = { maxOutputTokens: request.max_tokens };
  if (request.temperature !== undefined) sampling.temperature = request.temperature;
  if (request.top_p !== undefined) sampling.topP = request.top_p;
  if (request.top_k !== undefined) sampling.topK = request.top_k;
  if (request.stop_sequences !== undefined) sampling.stopSequences = request.stop_sequences;
  return sampling;
};

const decodeTool = (tool: NonNullable<AnthropicRequest['tools']>[number]): ToolDefinition => {
  const decoded: ToolDefinition = { name: tool.name, parameters: tool.input_schema };
  if (tool.description !== undefined) decoded.description = tool.description;
  if (tool.strict !== undefined) decoded.strict = tool.strict;
  const cacheControl = decodeCacheControl(tool.cache_control);
  if (cacheControl !== undefined) decoded.cacheControl = cacheControl;
  return decoded;
};

/** `any` is canonical `required`; `disable_parallel_tool_use` is `parallelToolCalls: false`. */
const decodeToolChoice = (request: AnthropicRequest, decoded: ChatRequest): void => {
  const choice = request.tool_choice;
  if (choice === undefined) return;
  const toolChoice: ToolChoice =
    choice.type === 'any' ? { type: 'required' } : choice.type === 'tool' ? { type: 'tool', name: choice.name } : { type: choice.type };
  decoded.toolChoice = toolChoice;
  if (choice.type !== 'none' && choice.disable_parallel_tool_use !== undefined) decoded.parallelToolCalls = !choice.disable_parallel_tool_use;
};

/** Unknown top-level fields, and the parts of known ones with no canonical meaning. */
const collectProviderOptions = (request: AnthropicRequest, thinking: JsonObject | undefined, outputConfig: JsonObject | undefined): JsonObject | undefined => {
  const options: JsonObject = omitKnownFields(request, knownRequestFields) ?? {};
  if (thinking !== undefined) options.thinking = thinking;
  if (outputConfig !== undefined) options.output_config = outputConfig;
  const metadata = request.metadata === undefined ? undefined : omitKnownFields(request.metadata, new Set(['user_id']));
  if (metadata !== undefined) options.metadata = metadata;
  return Object.keys(options).length === 0 ? undefined : options;
};
