import type { ChatRequest, JsonObject, JsonValue, ResponseFormat, ToolChoice, ToolDefinition } from '../../core/model/index.ts';
import type { EncodeRequestContext } from '../wire-format.ts';
import { formatName } from './decode-request.ts';
import { encodeMessages } from './encode-messages.ts';

/**
 * A canonical ChatRequest to an OpenAI Chat Completions request body, for upstream calls.
 * https://platform.openai.com/docs/api-reference/chat/create
 */

const encodeTool = (tool: ToolDefinition): JsonObject => {
  const definition: JsonObject = { name: tool.name };
  if (tool.description !== undefined) definition['description'] = tool.description;
  definition['parameters'] = tool.parameters;
  if (tool.strict !== undefined) definition['strict'] = tool.strict;
  return { type: 'function', function: definition };
};

const encodeToolChoice = (choice: ToolChoice): JsonValue =>
  choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;

const encodeResponseFormat = (format: ResponseFormat): JsonObject => {
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json-object') return { type: 'json_object' };
  const jsonSchema: JsonObject = { name: format.name };
  if (format.description !== undefined) jsonSchema['description'] = format.description;
  jsonSchema['schema'] = format.schema;
  if (format.strict !== undefined) jsonSchema['strict'] = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
};

const encodeSampling = (request: ChatRequest, body: JsonObject): void => {
  const { sampling } = request;
  // max_completion_tokens replaced max_tokens, which reasoning models reject. topK has no OpenAI equivalent.
  if (sampling.maxOutputTokens !== undefined) body['max_completion_tokens'] = sampling.maxOutputTokens;
  if (sampling.temperature !== undefined) body['temperature'] = sampling.temperature;
  if (sampling.topP !== undefined) body['top_p'] = sampling.topP;
  if (sampling.stopSequences !== undefined) body['stop'] = sampling.stopSequences;
  if (sampling.seed !== undefined) body['seed'] = sampling.seed;
  if (sampling.frequencyPenalty !== undefined) body['frequency_penalty'] = sampling.frequencyPenalty;
  if (sampling.presencePenalty !== undefined) body['presence_penalty'] = sampling.presencePenalty;
};

const asObject = (value: JsonValue | undefined): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};

export const encodeRequest = (request: ChatRequest, context: EncodeRequestContext): JsonObject => {
  const body: JsonObject = { model: context.model, messages: encodeMessages(request.messages) };
  if (request.tools !== undefined) body['tools'] = request.tools.map(encodeTool);
  if (request.toolChoice !== undefined) body['tool_choice'] = encodeToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== undefined) body['parallel_tool_calls'] = request.parallelToolCalls;
  if (request.responseFormat !== undefined) body['response_format'] = encodeResponseFormat(request.responseFormat);
  encodeSampling(request, body);
  if (request.reasoning?.effort !== undefined) body['reasoning_effort'] = request.reasoning.effort;
  if (request.user !== undefined) body['user'] = request.user;
  // Only this format's own options: another format's would be mistranslated, not just unknown.
  const options = request.providerOptions?.[formatName] ?? {};
  for (const [key, value] of Object.entries(options)) {
    if (!(key in body) && key !== 'stream' && key !== 'stream_options') body[key] = value;
  }
  if (request.stream) {
    body['stream'] = true;
    // Bulwark always needs the final usage chunk to count tokens, whatever the caller asked for.
    body['stream_options'] = { ...asObject(options['stream_options']), include_usage: true };
  }
  return body;
};
