import type { Message, TextPart, ToolCallPart, ToolResultPart, UserContentPart } from '../../core/model/index.ts';
import { decodeFunctionResponseContent } from './function-response-content.ts';
import { decodeModelParts, partKind } from './decode-model-parts.ts';
import { invalidRequest } from './invalid-request.ts';
import type { GeminiPart, GeminiRequestContent } from './schemas.ts';
import { synthesizeToolCallId } from './tool-call-id.ts';

/**
 * The conversation of a GenerateContentRequest (https://ai.google.dev/api/generate-content#request-body)
 * as canonical messages. A user turn may mix functionResponse parts with text and media; they split
 * into a `tool` message and a `user` message, in the order they came.
 */

const unsupported = (param: string, kind: string, where: string): never => {
  throw invalidRequest(param, `a ${kind} part is not supported in a ${where} turn`);
};

/** The user-side media Bulwark can carry: images only, since the canonical model has no other media. */
const decodeUserPart = (part: GeminiPart, param: string): UserContentPart => {
  if (part.thought === true) return unsupported(param, 'thought', 'user');
  if (part.text !== undefined) return { type: 'text', text: part.text };
  if (part.inlineData !== undefined) {
    const { mimeType, data } = part.inlineData;
    if (!mimeType.startsWith('image/')) throw invalidRequest(`${param}.inlineData.mimeType`, `only image media is supported, not ${mimeType}`);
    return { type: 'image', source: { kind: 'base64', mediaType: mimeType, data } };
  }
  if (part.fileData !== undefined) {
    const { mimeType, fileUri } = part.fileData;
    if (mimeType !== undefined && !mimeType.startsWith('image/')) {
      throw invalidRequest(`${param}.fileData.mimeType`, `only image media is supported, not ${mimeType}`);
    }
    return { type: 'image', source: { kind: 'url', url: fileUri } };
  }
  return unsupported(param, partKind(part), 'user');
};

/**
 * Pairs a functionResponse with its call: by id where Gemini gave one, otherwise with the first
 * unanswered call of that name in the model turn before it, which is how Gemini itself pairs them.
 */
const decodeFunctionResponse = (
  functionResponse: NonNullable<GeminiPart['functionResponse']>,
  unansweredCalls: ToolCallPart[],
  fallbackId: string,
): ToolResultPart => {
  const { id, name } = functionResponse;
  const hasId = id !== undefined && id !== '';
  const matchIndex = unansweredCalls.findIndex((call) => (hasId ? call.id === id : call.name === name));
  const [match] = matchIndex === -1 ? [] : unansweredCalls.splice(matchIndex, 1);
  const { content, isError } = decodeFunctionResponseContent(functionResponse);
  const result: ToolResultPart = { type: 'tool-result', toolCallId: hasId ? id : (match?.id ?? fallbackId), toolName: name, content };
  if (isError) result.isError = true;
  return result;
};

const decodeUserTurn = (parts: readonly GeminiPart[], contentIndex: number, unansweredCalls: ToolCallPart[]): Message[] => {
  const messages: Message[] = [];
  const push = (part: UserContentPart | ToolResultPart): void => {
    const last = messages.at(-1);
    if (part.type === 'tool-result') {
      if (last?.role === 'tool') last.content.push(part);
      else messages.push({ role: 'tool', content: [part] });
    } else if (last?.role === 'user') last.content.push(part);
    else messages.push({ role: 'user', content: [part] });
  };
  parts.forEach((part, partIndex) => {
    const param = `contents[${contentIndex}].parts[${partIndex}]`;
    if (part.functionCall !== undefined) unsupported(param, 'functionCall', 'user');
    if (part.functionResponse !== undefined) {
      const fallbackId = synthesizeToolCallId(`c${contentIndex}`, partIndex, part.functionResponse.name);
      push(decodeFunctionResponse(part.functionResponse, unansweredCalls, fallbackId));
    } else {
      push(decodeUserPart(part, param));
    }
  });
  return messages;
};

export const decodeContents = (contents: readonly GeminiRequestContent[]): Message[] => {
  const messages: Message[] = [];
  let unansweredCalls: ToolCallPart[] = [];
  contents.forEach((content, contentIndex) => {
    // Gemini: "role: Optional. The producer of the content. Must be either 'user' or 'model'."
    if (content.role === 'model') {
      const parts = decodeModelParts(content.parts, {
        scope: `c${contentIndex}`,
        onUnsupportedPart: (partIndex, kind) => unsupported(`contents[${contentIndex}].parts[${partIndex}]`, kind, 'model'),
      });
      messages.push({ role: 'assistant', content: parts });
      unansweredCalls = parts.filter((part): part is ToolCallPart => part.type === 'tool-call');
      return;
    }
    messages.push(...decodeUserTurn(content.parts, contentIndex, unansweredCalls));
  });
  return messages;
};

/** systemInstruction: "Currently text only." (https://ai.google.dev/api/generate-content#request-body) */
export const decodeSystemInstruction = (parts: readonly GeminiPart[]): Message[] => {
  const content: TextPart[] = parts.map((part, index) => {
    if (part.text === undefined || part.thought === true) {
      throw invalidRequest(`systemInstruction.parts[${index}]`, 'system instructions hold text parts only');
    }
    return { type: 'text', text: part.text };
  });
  return content.length === 0 ? [] : [{ role: 'system', content }];
};
