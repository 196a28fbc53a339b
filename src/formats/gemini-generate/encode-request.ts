import type { ChatRequest, JsonObject, JsonValue } from '../../core/model/index.ts';
import type { EncodeRequestContext } from '../wire-format.ts';
import { formatName } from './decode-request.ts';
import { encodeContents } from './encode-contents.ts';
import { encodeGenerationConfig } from './encode-generation-config.ts';
import { encodeFunctionCallingConfig, encodeTools } from './encode-tools.ts';

const isJsonObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A canonical ChatRequest as a GenerateContentRequest body (https://ai.google.dev/api/generate-content).
 * The model and streaming belong in the URL, which the provider builds, so neither is in the body.
 * Gemini fields a Gemini caller sent with no canonical meaning (providerOptions['gemini-generate'])
 * are sent on; the canonical fields win where both say something.
 */
export const encodeRequest = (request: ChatRequest, _context: EncodeRequestContext): JsonObject => {
  const options = request.providerOptions?.[formatName] ?? {};
  const { generationConfig: otherGeneration, toolConfig: otherToolConfig, tools: otherTools, ...otherFields } = options;
  const { systemInstruction, contents } = encodeContents(request.messages);
  const body: JsonObject = { ...otherFields, contents };
  if (systemInstruction !== undefined) body['systemInstruction'] = systemInstruction;

  const extraTools = Array.isArray(otherTools) ? otherTools.filter(isJsonObject) : [];
  const tools = encodeTools(request.tools ?? [], extraTools);
  if (tools.length > 0) body['tools'] = tools;

  const toolConfig: JsonObject = isJsonObject(otherToolConfig) ? { ...otherToolConfig } : {};
  if (request.toolChoice !== undefined) toolConfig['functionCallingConfig'] = encodeFunctionCallingConfig(request.toolChoice);
  if (Object.keys(toolConfig).length > 0) body['toolConfig'] = toolConfig;

  const generationConfig = encodeGenerationConfig(request, isJsonObject(otherGeneration) ? otherGeneration : {});
  if (Object.keys(generationConfig).length > 0) body['generationConfig'] = generationConfig;
  return body;
};
