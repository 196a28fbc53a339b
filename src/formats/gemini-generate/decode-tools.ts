import type { JsonObject, JsonValue, ToolChoice, ToolDefinition } from '../../core/model/index.ts';
import { openApiSchemaToJsonSchema } from './openapi-schema-to-json-schema.ts';
import type { GeminiTool, GeminiToolConfig } from './schemas.ts';

/**
 * Tools and toolConfig of a GenerateContentRequest (https://ai.google.dev/api/caching#Tool,
 * https://ai.google.dev/api/caching#ToolConfig). Function declarations become canonical tools; Gemini's
 * own tools (googleSearch, codeExecution, urlContext...) have no canonical meaning and are returned
 * apart, for providerOptions.
 */

type FunctionDeclaration = NonNullable<GeminiTool['functionDeclarations']>[number];

const emptyParameters = (): JsonObject => ({ type: 'object', properties: {} });

const decodeFunctionDeclaration = (declaration: FunctionDeclaration): ToolDefinition => {
  // `parametersJsonSchema` is JSON Schema already; `parameters` is Gemini's OpenAPI subset.
  const parameters =
    declaration.parametersJsonSchema ??
    (declaration.parameters === undefined ? emptyParameters() : openApiSchemaToJsonSchema(declaration.parameters));
  const tool: ToolDefinition = { name: declaration.name, parameters };
  if (declaration.description !== undefined) tool.description = declaration.description;
  return tool;
};

export interface DecodedTools {
  tools: ToolDefinition[];
  /** Tools other than function declarations, as the caller sent them. */
  otherTools: JsonObject[];
}

export const decodeTools = (tools: readonly GeminiTool[]): DecodedTools => {
  const decoded: DecodedTools = { tools: [], otherTools: [] };
  for (const tool of tools) {
    const { functionDeclarations, ...others } = tool;
    decoded.tools.push(...(functionDeclarations ?? []).map(decodeFunctionDeclaration));
    if (Object.keys(others).length > 0) decoded.otherTools.push(others);
  }
  return decoded;
};

export interface DecodedToolConfig {
  toolChoice?: ToolChoice;
  /** toolConfig fields other than functionCallingConfig (e.g. retrievalConfig), as the caller sent them. */
  otherToolConfig?: JsonObject;
}

type FunctionCallingConfig = NonNullable<GeminiToolConfig['functionCallingConfig']>;

/**
 * AUTO, NONE and ANY are auto, none and required; ANY limited to one function is a choice of that
 * tool. VALIDATED (schema-checked calls, calling optional) is closest to auto. ANY limited to several
 * functions has no canonical form and becomes required.
 */
const decodeFunctionCallingConfig = ({ mode, allowedFunctionNames }: FunctionCallingConfig): ToolChoice | undefined => {
  if (mode === 'AUTO' || mode === 'VALIDATED') return { type: 'auto' };
  if (mode === 'NONE') return { type: 'none' };
  if (mode !== 'ANY') return undefined;
  const [only, ...rest] = allowedFunctionNames ?? [];
  return only !== undefined && rest.length === 0 ? { type: 'tool', name: only } : { type: 'required' };
};

export const decodeToolConfig = (toolConfig: GeminiToolConfig): DecodedToolConfig => {
  const { functionCallingConfig, ...others } = toolConfig;
  const decoded: DecodedToolConfig = {};
  const toolChoice = functionCallingConfig === undefined ? undefined : decodeFunctionCallingConfig(functionCallingConfig);
  if (toolChoice !== undefined) decoded.toolChoice = toolChoice;
  const otherEntries = Object.entries(others).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined);
  if (otherEntries.length > 0) decoded.otherToolConfig = Object.fromEntries(otherEntries);
  return decoded;
};
