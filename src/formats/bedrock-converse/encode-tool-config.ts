import type { ChatRequest, JsonObject, ToolChoice } from '../../core/model/index.ts';
import { jsonResponseToolName, type StructuredOutputMode } from './bedrock-converse-options.ts';
import { definedJson } from './defined-properties.ts';
import { cachePointBlock } from './encode-messages.ts';

/**
 * Canonical tools and tool choice as Bedrock's `toolConfig`, with the emulated structured-output tool
 * when the format runs in `tool` mode.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ToolConfiguration.html
 *
 * Bedrock has no "none" choice. Bulwark leaves the tools out instead, unless the conversation already
 * holds tool calls or results: Bedrock then requires `toolConfig`, so the tools stay and the model
 * keeps its own choice.
 */
export const encodeToolConfig = (request: ChatRequest, structuredOutput: StructuredOutputMode): JsonObject | undefined => {
  const jsonTool = structuredOutput === 'tool' ? jsonResponseTool(request) : undefined;
  const keepTools = request.toolChoice?.type !== 'none' || hasToolBlocks(request);
  const tools: JsonObject[] = [];
  if (keepTools) {
    for (const tool of request.tools ?? []) {
      const toolSpec = definedJson({ name: tool.name, description: tool.description, inputSchema: { json: tool.parameters }, strict: tool.strict });
      tools.push({ toolSpec });
      if (tool.cacheControl !== undefined) tools.push(cachePointBlock(tool.cacheControl));
    }
  }
  const hasUserTools = tools.length > 0;
  if (jsonTool !== undefined) tools.push({ toolSpec: jsonTool });
  if (tools.length === 0) return undefined;
  const toolChoice = jsonTool === undefined ? encodeToolChoice(request.toolChoice) : jsonToolChoice(request, hasUserTools);
  return definedJson({ tools, toolChoice });
};

const hasToolBlocks = (request: ChatRequest): boolean =>
  request.messages.some((message) => message.role === 'tool' || (message.role === 'assistant' && message.content.some((part) => part.type === 'tool-call')));

const encodeToolChoice = (toolChoice: ToolChoice | undefined): JsonObject | undefined => {
  switch (toolChoice?.type) {
    case 'auto':
      return { auto: {} };
    case 'required':
      return { any: {} };
    case 'tool':
      return { tool: { name: toolChoice.name } };
    default:
      return undefined;
  }
};

/** The forced tool whose input is the answer (LiteLLM's `json_tool_call`, the AI SDK's `json`). */
const jsonResponseTool = (request: ChatRequest): JsonObject | undefined => {
  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    return definedJson({ name: jsonResponseToolName, description: format.description ?? `Respond with the ${format.name} JSON object`, inputSchema: { json: format.schema } });
  }
  if (format?.type === 'json-object') {
    return { name: jsonResponseToolName, description: 'Respond with a JSON object', inputSchema: { json: { type: 'object' } } };
  }
  return undefined;
};

/**
 * Forces the answer tool, unless the caller's own tools are on offer (then any tool call will do) or
 * extended thinking is on (Anthropic models refuse a forced tool while thinking: the model chooses).
 */
const jsonToolChoice = (request: ChatRequest, hasUserTools: boolean): JsonObject => {
  if (request.reasoning !== undefined) return { auto: {} };
  return hasUserTools ? { any: {} } : { tool: { name: jsonResponseToolName } };
};
