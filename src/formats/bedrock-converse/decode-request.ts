import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest, JsonObject, ReasoningOptions, ResponseFormat, Sampling } from '../../core/model/index.ts';
import { parseRequestBody } from '../shared/parse-with-schema.ts';
import type { DecodeRequestContext } from '../wire-format.ts';
import { decodeMessages } from './decode-messages.ts';
import { decodeToolConfig } from './decode-tool-config.ts';
import { definedJson, definedProperties } from './defined-properties.ts';
import { converseRequestSchema, type ConverseRequestBody } from './schemas.ts';

/**
 * A Bedrock client's Converse / ConverseStream request in canonical form. The model comes from the
 * URL (`/model/{modelId}/converse`), so from `context.model`; streaming from the path too.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_RequestSyntax
 *
 * `additionalModelRequestFields` is model-specific; two of its fields have an obvious canonical
 * meaning and are lifted out: Anthropic's `top_k` and `thinking: {type: "enabled", budget_tokens}`.
 * `outputConfig.effort` is the reasoning effort. The rest, and the fields with no canonical meaning
 * (guardrailConfig, requestMetadata, performanceConfig, ...), go to providerOptions['bedrock-converse'].
 */
export const decodeBedrockRequest = (body: unknown, context?: DecodeRequestContext): ChatRequest => {
  const model = decodeModelId(context?.model);
  const parsed = parseRequestBody(converseRequestSchema, body);
  const additional = splitAdditionalFields(parsed.additionalModelRequestFields);
  const output = splitOutputConfig(parsed.outputConfig);
  const tools = parsed.toolConfig === undefined ? undefined : decodeToolConfig(parsed.toolConfig);
  const reasoning = definedProperties<ReasoningOptions>({ budgetTokens: additional.budgetTokens, effort: output.effort });
  const request: ChatRequest = definedProperties<ChatRequest>({
    model,
    messages: decodeMessages(parsed.system, parsed.messages),
    tools: tools?.tools,
    toolChoice: tools?.toolChoice,
    responseFormat: output.responseFormat,
    sampling: decodeSampling(parsed, additional.topK),
    reasoning: Object.keys(reasoning).length === 0 ? undefined : reasoning,
    stream: context?.stream ?? false,
  });
  const providerOptions = definedJson({
    additionalModelRequestFields: additional.rest,
    outputConfig: output.rest,
    guardrailConfig: parsed.guardrailConfig,
    additionalModelResponseFieldPaths: parsed.additionalModelResponseFieldPaths,
    promptVariables: parsed.promptVariables,
    requestMetadata: parsed.requestMetadata,
    performanceConfig: parsed.performanceConfig,
    serviceTier: parsed.serviceTier,
  });
  if (Object.keys(providerOptions).length > 0) request.providerOptions = { 'bedrock-converse': providerOptions };
  return request;
};

/** Model ids may be ARNs (`arn:aws:bedrock:...:inference-profile/...`), URL-encoded in the path. */
const decodeModelId = (model: string | undefined): string => {
  if (model === undefined || model === '') {
    throw new GatewayError('invalid_request', 'The model id is missing from the path /model/{modelId}/converse', { param: 'modelId' });
  }
  if (!model.includes('%')) return model;
  try {
    return decodeURIComponent(model);
  } catch {
    throw new GatewayError('invalid_request', 'The model id in the path is not validly URL-encoded', { param: 'modelId' });
  }
};

const decodeSampling = (parsed: ConverseRequestBody, topK: number | undefined): Sampling =>
  definedProperties<Sampling>({
    maxOutputTokens: parsed.inferenceConfig?.maxTokens,
    temperature: parsed.inferenceConfig?.temperature,
    topP: parsed.inferenceConfig?.topP,
    stopSequences: parsed.inferenceConfig?.stopSequences,
    topK,
  });

const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Lifts `top_k` and an Anthropic thinking budget out of additionalModelRequestFields. */
const splitAdditionalFields = (fields: JsonObject | undefined): { topK?: number; budgetTokens?: number; rest?: JsonObject } => {
  if (fields === undefined) return {};
  const { top_k: topK, thinking, ...rest } = fields;
  const result: { topK?: number; budgetTokens?: number; rest?: JsonObject } = {};
  if (typeof topK === 'number') result.topK = topK;
  else if (topK !== undefined) rest.top_k = topK;
  const isBudget =
    isJsonObject(thinking) && thinking.type === 'enabled' && typeof thinking.budget_tokens === 'number' && Object.keys(thinking).length === 2;
  if (isBudget && typeof thinking.budget_tokens === 'number') result.budgetTokens = thinking.budget_tokens;
  else if (thinking !== undefined) rest.thinking = thinking;
  if (Object.keys(rest).length > 0) result.rest = rest;
  return result;
};

const reasoningEfforts = ['minimal', 'low', 'medium', 'high'] as const;

type OutputConfig = NonNullable<ConverseRequestBody['outputConfig']>;

/** Native structured output becomes the response format; `effort` the reasoning effort. */
const splitOutputConfig = (
  outputConfig: OutputConfig | undefined,
): { responseFormat?: ResponseFormat; effort?: ReasoningOptions['effort']; rest?: JsonObject } => {
  if (outputConfig === undefined) return {};
  const { textFormat, effort, ...rest } = outputConfig;
  const result: { responseFormat?: ResponseFormat; effort?: ReasoningOptions['effort']; rest?: JsonObject } = {};
  const knownEffort = reasoningEfforts.find((candidate) => candidate === effort);
  if (knownEffort !== undefined) result.effort = knownEffort;
  else if (effort !== undefined) rest.effort = effort;
  if (textFormat !== undefined) {
    const { schema, name, description } = textFormat.structure.jsonSchema;
    result.responseFormat = definedProperties<ResponseFormat>({ type: 'json-schema', name: name ?? 'response', schema: parseSchema(schema), description });
  }
  if (Object.keys(rest).length > 0) result.rest = rest;
  return result;
};

const parseSchema = (text: string): JsonObject => {
  const param = 'outputConfig.textFormat.structure.jsonSchema.schema';
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_request', `${param}: not valid JSON`, { param });
  }
  if (!isJsonObject(schema)) throw new GatewayError('invalid_request', `${param}: must be a JSON Schema object`, { param });
  return schema;
};
