import type { JsonObject, ToolChoice, ToolDefinition } from '../../core/model/index.ts';

/**
 * Canonical tools as Gemini function declarations (https://ai.google.dev/api/caching#FunctionDeclaration).
 *
 * The schema goes in `parametersJsonSchema`, not `parameters`. `parameters` takes Gemini's OpenAPI
 * subset and rejects JSON Schema keywords outside it: a plain OpenAI-style schema with
 * `additionalProperties: false` fails with `Invalid JSON payload received. Unknown name
 * "additionalProperties" at 'tools.function_declarations[0].parameters'` (recorded in
 * pydantic/pydantic-ai tests/models/cassettes/test_gemini/test_image_as_binary_content_tool_response.yaml).
 * `parametersJsonSchema` "describes the parameters to the function in JSON Schema format" and is
 * "mutually exclusive with parameters" (FunctionDeclaration reference), so the caller's schema passes
 * unchanged, with no lossy down-conversion.
 */
const encodeFunctionDeclaration = (tool: ToolDefinition): JsonObject => {
  const declaration: JsonObject = { name: tool.name };
  if (tool.description !== undefined) declaration['description'] = tool.description;
  declaration['parametersJsonSchema'] = tool.parameters;
  return declaration;
};

/** Function declarations first, then Gemini's own tools kept from a Gemini caller. */
export const encodeTools = (tools: readonly ToolDefinition[], otherTools: readonly JsonObject[]): JsonObject[] => {
  const encoded: JsonObject[] = tools.length === 0 ? [] : [{ functionDeclarations: tools.map(encodeFunctionDeclaration) }];
  return [...encoded, ...otherTools];
};

/** https://ai.google.dev/api/caching#FunctionCallingConfig */
export const encodeFunctionCallingConfig = (choice: ToolChoice): JsonObject => {
  if (choice.type === 'auto') return { mode: 'AUTO' };
  if (choice.type === 'none') return { mode: 'NONE' };
  if (choice.type === 'required') return { mode: 'ANY' };
  return { mode: 'ANY', allowedFunctionNames: [choice.name] };
};
