import type { AssistantContentPart, JsonObject, ToolCallPart } from '../../core/model/index.ts';
import { parseToolArguments } from '../shared/parse-tool-arguments.ts';
import { isSynthesizedToolCallId } from './tool-call-id.ts';

/** https://ai.google.dev/api/caching#FunctionCall. Ids Bulwark made up stay off the wire. */
export const encodeFunctionCall = (id: string, name: string, argumentsText: string): JsonObject => {
  const call: JsonObject = { name, args: parseToolArguments(argumentsText) };
  if (!isSynthesizedToolCallId(id)) call['id'] = id;
  return call;
};

const encodeToolCall = (part: ToolCallPart): JsonObject => ({ functionCall: encodeFunctionCall(part.id, part.name, part.arguments) });

/**
 * Canonical assistant parts as Gemini parts, the inverse of decodeModelParts: an empty reasoning part
 * carrying a signature folds onto the part after it (or stands as an empty text part when none
 * follows); reasoning with text is a `thought: true` part. Anthropic's redacted thinking has no Gemini
 * form and is left out.
 */
export const encodeModelParts = (parts: readonly AssistantContentPart[]): JsonObject[] => {
  const encoded: JsonObject[] = [];
  let pendingSignature: string | undefined;
  const flushSignature = (): void => {
    if (pendingSignature !== undefined) encoded.push({ text: '', thoughtSignature: pendingSignature });
    pendingSignature = undefined;
  };
  const pushSigned = (part: JsonObject): void => {
    encoded.push(pendingSignature === undefined ? part : { ...part, thoughtSignature: pendingSignature });
    pendingSignature = undefined;
  };
  for (const part of parts) {
    if (part.type === 'text') pushSigned({ text: part.text });
    else if (part.type === 'tool-call') pushSigned(encodeToolCall(part));
    else if (part.text !== '') {
      flushSignature();
      encoded.push(part.signature === undefined ? { text: part.text, thought: true } : { text: part.text, thought: true, thoughtSignature: part.signature });
    } else if (part.signature !== undefined) {
      flushSignature();
      pendingSignature = part.signature;
    }
  }
  flushSignature();
  return encoded;
};
