import type { ImagePart, ImageSource, JsonObject, Message, ToolResultPart, UserContentPart } from '../../core/model/index.ts';
import { encodeModelParts } from './encode-model-parts.ts';
import { encodeFunctionResponseContent } from './function-response-content.ts';
import { invalidRequest } from './invalid-request.ts';
import { isSynthesizedToolCallId } from './tool-call-id.ts';

/**
 * Canonical messages as a GenerateContentRequest's `systemInstruction` and `contents`
 * (https://ai.google.dev/api/generate-content#request-body). System messages, wherever they stand,
 * gather into the one system instruction Gemini takes; tool results travel in user turns; adjacent
 * turns of one role merge, since Gemini expects user and model to alternate.
 */

/**
 * Gemini 3 rejects a function call of the current turn that carries no thought signature, which is
 * every call in a history from a format that drops signatures (OpenAI's) or from another model. Google
 * documents this value for exactly that case: https://ai.google.dev/gemini-api/docs/thought-signatures
 * ("skip_thought_signature_validator"). Earlier models ignore it.
 */
export const skipThoughtSignature = 'skip_thought_signature_validator';

const extensionMimeTypes: Readonly<Record<string, string>> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', heif: 'image/heif',
};

const guessMimeType = (url: string): string | undefined => {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : extensionMimeTypes[extension];
};

/** Base64 travels inline; a `data:` URL is inline data too; any other URL is fileData. */
export const encodeImageSource = (source: ImageSource): JsonObject => {
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(source.url);
  if (dataUrl?.[1] !== undefined && dataUrl[2] !== undefined) return { inlineData: { mimeType: dataUrl[1], data: dataUrl[2] } };
  const mimeType = guessMimeType(source.url);
  return { fileData: mimeType === undefined ? { fileUri: source.url } : { mimeType, fileUri: source.url } };
};

const encodeUserPart = (part: UserContentPart): JsonObject =>
  part.type === 'text' ? { text: part.text } : encodeImageSource(part.source);

/** Gemini pairs a response with its call by name, which OpenAI's tool messages do not carry: it is found by id. */
const encodeToolResults = (parts: readonly ToolResultPart[], callNames: ReadonlyMap<string, string>, param: string): JsonObject[] => {
  const media: ImagePart[] = [];
  const responses = parts.map((part, index): JsonObject => {
    const name = part.toolName ?? callNames.get(part.toolCallId);
    if (name === undefined) {
      throw invalidRequest(`${param}[${index}].toolCallId`, `no earlier tool call has the id "${part.toolCallId}"; Gemini needs its function name`);
    }
    const { response, media: images } = encodeFunctionResponseContent(part);
    media.push(...images);
    const functionResponse: JsonObject = { name, response };
    if (!isSynthesizedToolCallId(part.toolCallId)) functionResponse['id'] = part.toolCallId;
    return { functionResponse };
  });
  return [...responses, ...media.map((image) => encodeImageSource(image.source))];
};

const signFirstFunctionCall = (parts: JsonObject[]): JsonObject[] => {
  const calls = parts.filter((part) => part['functionCall'] !== undefined);
  if (calls.length === 0 || calls.some((part) => part['thoughtSignature'] !== undefined)) return parts;
  const first = parts.indexOf(calls[0] as JsonObject);
  return parts.map((part, index) => (index === first ? { ...part, thoughtSignature: skipThoughtSignature } : part));
};

export interface EncodedContents {
  systemInstruction?: JsonObject;
  contents: JsonObject[];
}

export const encodeContents = (messages: readonly Message[]): EncodedContents => {
  const systemParts: JsonObject[] = [];
  const contents: Array<{ role: 'user' | 'model'; parts: JsonObject[] }> = [];
  const callNames = new Map<string, string>();
  const append = (role: 'user' | 'model', parts: JsonObject[]): void => {
    const last = contents.at(-1);
    if (parts.length === 0) return;
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  messages.forEach((message, index) => {
    if (message.role === 'system') systemParts.push(...message.content.map((part) => ({ text: part.text })));
    else if (message.role === 'user') append('user', message.content.map(encodeUserPart));
    else if (message.role === 'tool') append('user', encodeToolResults(message.content, callNames, `messages[${index}].content`));
    else {
      for (const part of message.content) if (part.type === 'tool-call') callNames.set(part.id, part.name);
      append('model', signFirstFunctionCall(encodeModelParts(message.content)));
    }
  });
  const encoded: EncodedContents = { contents: contents.map(({ role, parts }) => ({ role, parts })) };
  if (systemParts.length > 0) encoded.systemInstruction = { parts: systemParts };
  return encoded;
};
