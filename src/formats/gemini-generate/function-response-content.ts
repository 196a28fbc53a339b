import type { ImagePart, JsonObject, TextPart, ToolResultPart } from '../../core/model/index.ts';
import type { GeminiPart } from './schemas.ts';

/**
 * FunctionResponse.response is a JSON object; a canonical tool result holds text. Gemini's reference
 * names `output` for a result and `error` for a failure (https://ai.google.dev/api/caching#FunctionResponse),
 * so a response that is exactly `{output: "<text>"}` or `{error: "<text>"}` unwraps to that text, text
 * is wrapped back the same way, and any other object travels as its JSON text. Text that is itself a
 * JSON object is never unwrapped, so a round trip returns the object Gemini sent.
 */

const parseJsonObject = (text: string): JsonObject | undefined => {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
};

const unwrappedText = (response: JsonObject, key: 'output' | 'error'): string | undefined => {
  const keys = Object.keys(response);
  const value = response[key];
  if (keys.length !== 1 || typeof value !== 'string') return undefined;
  return parseJsonObject(value) === undefined ? value : undefined;
};

type FunctionResponse = NonNullable<GeminiPart['functionResponse']>;
type FunctionResponseMedia = NonNullable<FunctionResponse['parts']>[number];

const decodeMedia = (part: FunctionResponseMedia): ImagePart[] => {
  if (part.inlineData !== undefined) {
    return [{ type: 'image', source: { kind: 'base64', mediaType: part.inlineData.mimeType, data: part.inlineData.data } }];
  }
  if (part.fileData !== undefined) return [{ type: 'image', source: { kind: 'url', url: part.fileData.fileUri } }];
  return [];
};

export const decodeFunctionResponseContent = (
  functionResponse: FunctionResponse,
): { content: Array<TextPart | ImagePart>; isError: boolean } => {
  const response = functionResponse.response ?? {};
  const media = (functionResponse.parts ?? []).flatMap(decodeMedia);
  const output = unwrappedText(response, 'output');
  if (output !== undefined) return { content: [{ type: 'text', text: output }, ...media], isError: false };
  const error = unwrappedText(response, 'error');
  if (error !== undefined) return { content: [{ type: 'text', text: error }, ...media], isError: true };
  return { content: [{ type: 'text', text: JSON.stringify(response) }, ...media], isError: false };
};

/** The FunctionResponse.response for a tool result, and the images it holds (sent as parts beside it). */
export const encodeFunctionResponseContent = (part: ToolResultPart): { response: JsonObject; media: ImagePart[] } => {
  const text = part.content
    .filter((item): item is TextPart => item.type === 'text')
    .map((item) => item.text)
    .join('\n');
  const media = part.content.filter((item): item is ImagePart => item.type === 'image');
  if (part.isError === true) return { response: { error: text }, media };
  return { response: parseJsonObject(text) ?? { output: text }, media };
};
