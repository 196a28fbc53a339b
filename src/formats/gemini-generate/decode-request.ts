import type { ChatRequest, JsonObject } from '../../core/model/index.ts';
import { parseRequestBody } from '../shared/parse-with-schema.ts';
import type { DecodeRequestContext } from '../wire-format.ts';
import { decodeContents, decodeSystemInstruction } from './decode-contents.ts';
import { decodeGenerationConfig } from './decode-generation-config.ts';
import { decodeToolConfig, decodeTools } from './decode-tools.ts';
import { invalidRequest } from './invalid-request.ts';
import { omitKeys } from './omit-keys.ts';
import { generateContentRequestSchema } from './schemas.ts';

export const formatName = 'gemini-generate';

/** Request fields with a canonical meaning; every other one travels in `providerOptions['gemini-generate']`. */
const canonicalFields = ['model', 'contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig'];

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
  const parsed = parseRequestBody(generateContentRequestSchema, body);
  const generation = decodeGenerationConfig(parsed.generationConfig ?? {});
  const request: ChatRequest = {
    model: resolveModel(context.model ?? parsed.model),
    messages: [...decodeSystemInstruction(parsed.systemInstruction?.parts ?? []), ...decodeContents(parsed.contents)],
    sampling: generation.sampling,
    stream: context.stream ?? false,
  };
  if (generation.responseFormat !== undefined) request.responseFormat = generation.responseFormat;
  if (generation.reasoning !== undefined) request.reasoning = generation.reasoning;
  const { tools, otherTools } = decodeTools(parsed.tools ?? []);
  if (parsed.tools !== undefined) request.tools = tools;
  const { toolChoice, otherToolConfig } = decodeToolConfig(parsed.toolConfig ?? {});
  if (toolChoice !== undefined) request.toolChoice = toolChoice;

  const options: JsonObject = omitKeys(parsed, canonicalFields);
  if (generation.otherGenerationConfig !== undefined) options['generationConfig'] = generation.otherGenerationConfig;
  if (otherToolConfig !== undefined) options['toolConfig'] = otherToolConfig;
  if (otherTools.length > 0) options['tools'] = otherTools;
  if (Object.keys(options).length > 0) request.providerOptions = { [formatName]: options };
  return request;
};
