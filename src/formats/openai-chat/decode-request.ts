import { GatewayError } from '../../core/errors/index.ts';
import type {
  ChatRequest,
  JsonObject,
  ReasoningOptions,
  ResponseFormat,
  Sampling,
  ToolChoice,
  ToolDefinition,
} from '../../core/model/index.ts';
import type { DecodeRequestContext } from '../wire-format.ts';
import { decodeMessages } from './decode-messages.ts';
import { fastRequestShape } from './fast-request-shape.ts';
import { parseWithClosestIssue } from './parse-with-closest-issue.ts';
import { chatCompletionRequestSchema, jsonObjectSchema, type ChatCompletionRequestBody } from './schemas.ts';

/**
 * An OpenAI Chat Completions request body to a canonical ChatRequest.
 * https://platform.openai.com/docs/api-reference/chat/create
 */

export const formatName = 'openai-chat';

/** Fields the canonical request carries; every other field travels in `providerOptions['openai-chat']`. */
export const canonicalFields: ReadonlySet<string> = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'response_format', 'max_tokens',
  'max_completion_tokens', 'temperature', 'top_p', 'stop', 'seed', 'frequency_penalty', 'presence_penalty',
  'reasoning_effort', 'stream', 'user',
]);

const canonicalEfforts = ['minimal', 'low', 'medium', 'high'] as const;
type CanonicalEffort = (typeof canonicalEfforts)[number];
const isCanonicalEffort = (value: string): value is CanonicalEffort => (canonicalEfforts as readonly string[]).includes(value);

const invalid = (param: string, message: string): GatewayError =>
  new GatewayError('invalid_request', `${param}: ${message}`, { param });

const rejectUnsupported = (body: ChatCompletionRequestBody): void => {
  if (body.n !== undefined && body.n !== null && body.n > 1) throw invalid('n', 'n > 1 is not supported');
  if (body['functions'] !== undefined) throw invalid('functions', 'legacy function calling is not supported; use tools');
  if (body['function_call'] !== undefined) throw invalid('function_call', 'legacy function calling is not supported; use tool_choice');
};

const decodeSampling = (body: ChatCompletionRequestBody): Sampling => {
  const sampling: Sampling = {};
  const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxOutputTokens !== undefined && maxOutputTokens !== null) sampling.maxOutputTokens = maxOutputTokens;
  if (body.temperature !== undefined && body.temperature !== null) sampling.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) sampling.topP = body.top_p;
  if (body.stop !== undefined && body.stop !== null) sampling.stopSequences = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.seed !== undefined && body.seed !== null) sampling.seed = body.seed;
  if (body.frequency_penalty !== undefined && body.frequency_penalty !== null) sampling.frequencyPenalty = body.frequency_penalty;
  if (body.presence_penalty !== undefined && body.presence_penalty !== null) sampling.presencePenalty = body.presence_penalty;
  return sampling;
};

type RequestTool = NonNullable<ChatCompletionRequestBody['tools']>[number];

const decodeTool = ({ function: definition }: RequestTool): ToolDefinition => {
  // OpenAI: "Omitting parameters defines a function with an empty parameter list."
  const tool: ToolDefinition = { name: definition.name, parameters: definition.parameters ?? { type: 'object', properties: {} } };
  if (definition.description !== undefined) tool.description = definition.description;
  if (definition.strict !== undefined && definition.strict !== null) tool.strict = definition.strict;
  return tool;
};

const decodeToolChoice = (choice: NonNullable<ChatCompletionRequestBody['tool_choice']>, tools: ToolDefinition[]): ToolChoice => {
  if (typeof choice === 'string') return { type: choice };
  const name = choice.function.name;
  if (!tools.some((tool) => tool.name === name)) throw invalid('tool_choice.function.name', `no tool named "${name}" is in tools`);
  return { type: 'tool', name };
};

const decodeResponseFormat = (format: NonNullable<ChatCompletionRequestBody['response_format']>): ResponseFormat => {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json-object' };
  const { name, description, schema, strict } = format.json_schema;
  const decoded: ResponseFormat = { type: 'json-schema', name, schema: schema ?? {} };
  if (description !== undefined) decoded.description = description;
  if (strict !== undefined && strict !== null) decoded.strict = strict;
  return decoded;
};

/** Parsed JSON is JSON: a quick walk spares zod's copy; anything else (a value from code) goes to zod. */
const isJsonValue = (value: unknown, depth: number): boolean => {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  return isJsonObject(value, depth + 1);
};

const isJsonObject = (value: object, depth = 0): value is JsonObject => {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!isJsonValue((value as Record<string, unknown>)[key], depth)) return false;
  return true;
};

/** The caller's fields with no canonical meaning, verbatim, so the same format can send them on. */
const collectProviderOptions = (body: Record<string, unknown>): JsonObject | undefined => {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!canonicalFields.has(key) && value !== undefined) options[key] = value;
  }
  // An effort OpenAI knows but the canonical model does not (e.g. "none", "xhigh") stays OpenAI's own.
  const effort = body['reasoning_effort'];
  if (typeof effort === 'string' && !isCanonicalEffort(effort)) options['reasoning_effort'] = effort;
  if (Object.keys(options).length === 0) return undefined;
  if (isJsonObject(options)) return options;
  const parsed = jsonObjectSchema.safeParse(options);
  if (!parsed.success) throw new GatewayError('invalid_request', 'The request body holds values that are not JSON');
  return parsed.data;
};

const decodeReasoning = (effort: string | null | undefined): ReasoningOptions | undefined =>
  typeof effort === 'string' && isCanonicalEffort(effort) ? { effort } : undefined;

const decodeTools = (body: ChatCompletionRequestBody, request: ChatRequest): void => {
  const tools = (body.tools ?? []).map(decodeTool);
  if (body.tools !== undefined && body.tools !== null) request.tools = tools;
  if (body.tool_choice !== undefined && body.tool_choice !== null) request.toolChoice = decodeToolChoice(body.tool_choice, tools);
  if (body.parallel_tool_calls !== undefined && body.parallel_tool_calls !== null) request.parallelToolCalls = body.parallel_tool_calls;
};

export const decodeRequest = (body: unknown, context: DecodeRequestContext = {}): ChatRequest => {
  // The common shape is checked without zod; anything else gets the schema and its precise errors.
  const parsed = fastRequestShape(body) ?? parseWithClosestIssue(chatCompletionRequestSchema, body);
  rejectUnsupported(parsed);
  const model = parsed.model ?? context.model;
  if (model === undefined || model === '') throw invalid('model', 'required');
  const request: ChatRequest = {
    model,
    messages: decodeMessages(parsed.messages),
    sampling: decodeSampling(parsed),
    stream: parsed.stream ?? context.stream ?? false,
  };
  decodeTools(parsed, request);
  if (parsed.response_format !== undefined && parsed.response_format !== null) {
    request.responseFormat = decodeResponseFormat(parsed.response_format);
  }
  const reasoning = decodeReasoning(parsed.reasoning_effort);
  if (reasoning !== undefined) request.reasoning = reasoning;
  if (parsed.user !== undefined) request.user = parsed.user;
  // The raw body, not the parsed one: zod drops unknown keys inside nested objects such as stream_options.
  // The schema (a loose object) has accepted it, so it is a plain record.
  const providerOptions = collectProviderOptions(body as Record<string, unknown>);
  if (providerOptions !== undefined) request.providerOptions = { [formatName]: providerOptions };
  return request;
};
