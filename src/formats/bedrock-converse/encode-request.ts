import type { ChatRequest, JsonObject, JsonValue } from '../../core/model/index.ts';
import type { EncodeRequestContext } from '../wire-format.ts';
import type { StructuredOutputMode } from './bedrock-converse-options.ts';
import { definedJson } from './defined-properties.ts';
import { encodeMessages } from './encode-messages.ts';
import { encodeToolConfig } from './encode-tool-config.ts';

/**
 * A canonical request as the body of a Bedrock Converse / ConverseStream call. The model and the
 * choice between the two operations are in the URL (`/model/{modelId}/converse[-stream]`), which the
 * provider builds, so neither appears here.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_RequestSyntax
 *
 * What Converse has no field for is left out: seed, frequency and presence penalties, parallel tool
 * calls, the end user, and (in `native` mode) the `json-object` response format, for which Bedrock
 * has no mode; OpenAI's own rules already make the prompt ask for JSON.
 */
export const encodeBedrockRequest = (
  request: ChatRequest,
  _context: EncodeRequestContext,
  structuredOutput: StructuredOutputMode = 'native',
): JsonObject => {
  const { system, messages } = encodeMessages(request.messages);
  const own = request.providerOptions?.['bedrock-converse'] ?? {};
  const inferenceConfig = definedJson({
    maxTokens: request.sampling.maxOutputTokens,
    temperature: request.sampling.temperature,
    topP: request.sampling.topP,
    stopSequences: request.sampling.stopSequences,
  });
  const additionalModelRequestFields = encodeAdditionalFields(request, own.additionalModelRequestFields);
  const outputConfig = encodeOutputConfig(request, own.outputConfig, structuredOutput);
  return definedJson({
    messages,
    system: system.length === 0 ? undefined : system,
    inferenceConfig: Object.keys(inferenceConfig).length === 0 ? undefined : inferenceConfig,
    toolConfig: encodeToolConfig(request, structuredOutput),
    additionalModelRequestFields: Object.keys(additionalModelRequestFields).length === 0 ? undefined : additionalModelRequestFields,
    outputConfig: Object.keys(outputConfig).length === 0 ? undefined : outputConfig,
    // Re-emitted only from this format's own providerOptions, and only the fields Converse defines.
    guardrailConfig: own.guardrailConfig,
    additionalModelResponseFieldPaths: own.additionalModelResponseFieldPaths,
    promptVariables: own.promptVariables,
    requestMetadata: own.requestMetadata,
    performanceConfig: own.performanceConfig,
    serviceTier: own.serviceTier,
  });
};

const asObject = (value: JsonValue | undefined): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};

/**
 * Anthropic's `top_k` and extended-thinking budget, the two model fields with an obvious canonical
 * source. https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html
 */
const encodeAdditionalFields = (request: ChatRequest, passthrough: JsonValue | undefined): JsonObject => {
  const fields = asObject(passthrough);
  if (request.sampling.topK !== undefined) fields.top_k = request.sampling.topK;
  if (request.reasoning?.budgetTokens !== undefined) fields.thinking = { type: 'enabled', budget_tokens: request.reasoning.budgetTokens };
  return fields;
};

/** Native structured output and the reasoning effort (`minimal` has no Bedrock level: `low`). */
const encodeOutputConfig = (request: ChatRequest, passthrough: JsonValue | undefined, structuredOutput: StructuredOutputMode): JsonObject => {
  const config = asObject(passthrough);
  const effort = request.reasoning?.effort;
  if (effort !== undefined) config.effort = effort === 'minimal' ? 'low' : effort;
  const format = request.responseFormat;
  if (structuredOutput === 'native' && format?.type === 'json-schema') {
    config.textFormat = {
      type: 'json_schema',
      structure: { jsonSchema: definedJson({ schema: JSON.stringify(format.schema), name: format.name, description: format.description }) },
    };
  }
  return config;
};
