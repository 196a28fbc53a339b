import type { ChatRequest, JsonObject } from '../../core/model/index.ts';
import { parseRequestBody } from '../shared/parse-with-schema.ts';
import type { DecodeRequestContext } from '../wire-format.ts';
import { decodeContents, decodeSystemInstruction } from './decode-contents.ts';
import { decodeGenerationConfig } from './decode-generation-config.ts';
import { decodeToolConfig, decodeTools } from './decode-tools.ts';
import { invalidRequest } from './invalid-request.ts';
import { generateContentRequestSchema } from './schemas.ts';

export const formatName = 'gemini-generate';

/** Accepts `gemini-2.5-flash` and the resource name `models/gemini-2.5-flash` alike. */
const resolveModel = (model: string | undefined): string => {
  const name = model?.replace(/^models\//, '');
  if (name === undefined || name === '') throw invalidRequest('model', 'required (in the URL: /v1beta/models/{model}:generateContent)');
  return name;
};

/**
 * A Gemini GenerateContentRequest (https://ai.google.dev/api/generate-content#request-body) to a
 * canonical ChatRequest. The model and streaming are in the URL (`models/{model}:generateContent` or
 * `:streamGenerateContent`), so they come from `context`.
 */
export const decodeRequest = (body: unknown, context: DecodeRequestContext = {}): ChatRequest => {
  const { model, contents, systemInstruction, tools: geminiTools, toolConfig, generationConfig, ...unknownFields } =
    parseRequestBody(generateContentRequestSchema, body);
  const generation = decodeGenerationConfig(generationConfig ?? {});
  const request: ChatRequest = {
    model: resolveModel(context.model ?? model),
    messages: [...decodeSystemInstruction(systemInstruction?.parts ?? []), ...decodeContents(contents)],
    sampling: generation.sampling,
    stream: context.stream ?? false,
  };
  if (generation.responseFormat !== undefined) request.responseFormat = generation.responseFormat;
  if (generation.reasoning !== undefined) request.reasoning = generation.reasoning;
  const { tools, otherTools } = decodeTools(geminiTools ?? []);
  if (geminiTools !== undefined) request.tools = tools;
  const { toolChoice, otherToolConfig } = decodeToolConfig(toolConfig ?? {});
  if (toolChoice !== undefined) request.toolChoice = toolChoice;

  // Fields with no canonical meaning (safetySettings, cachedContent, labels...) travel in providerOptions.
  const options: JsonObject = { ...unknownFields };
  if (generation.otherGenerationConfig !== undefined) options['generationConfig'] = generation.otherGenerationConfig;
  if (otherToolConfig !== undefined) options['toolConfig'] = otherToolConfig;
  if (otherTools.length > 0) options['tools'] = otherTools;
  if (Object.keys(options).length > 0) request.providerOptions = { [formatName]: options };
  return request;
};
