import type { AssistantContentPart } from '../../core/model/index.ts';
import type { GeminiPart } from './schemas.ts';
import { synthesizeToolCallId } from './tool-call-id.ts';

export interface DecodeModelPartsOptions {
  /** Tells apart the turns or responses whose calls get made-up ids. */
  scope: string;
  /** Called for a part the canonical model cannot hold (inlineData output, executableCode...). */
  onUnsupportedPart: (index: number, kind: string) => void;
}

const metaKeys: ReadonlySet<string> = new Set(['thought', 'thoughtSignature']);

/** What a part holds, for error messages: its first data field. */
export const partKind = (part: GeminiPart): string =>
  Object.keys(part).find((key) => !metaKeys.has(key) && part[key] !== undefined) ?? 'empty part';

/**
 * A model turn's parts (in a request's history or a response's candidate) as canonical parts.
 * https://ai.google.dev/api/caching#Part
 *
 * `thought: true` text is reasoning. A `thoughtSignature` on a text or functionCall part becomes an
 * empty reasoning part that carries the signature and stands just before that part; encodeModelParts
 * folds it back onto the part that follows, so the signature returns to Gemini where it came from
 * (https://ai.google.dev/gemini-api/docs/thought-signatures).
 */
export const decodeModelParts = (parts: readonly GeminiPart[], options: DecodeModelPartsOptions): AssistantContentPart[] => {
  const decoded: AssistantContentPart[] = [];
  parts.forEach((part, index) => {
    const signature = part.thoughtSignature;
    if (part.functionCall !== undefined) {
      if (signature !== undefined) decoded.push({ type: 'reasoning', text: '', signature });
      const { id, name, args } = part.functionCall;
      const callId = id !== undefined && id !== '' ? id : synthesizeToolCallId(options.scope, index, name);
      decoded.push({ type: 'tool-call', id: callId, name, arguments: JSON.stringify(args ?? {}) });
      return;
    }
    if (part.thought === true && part.text !== undefined) {
      decoded.push(signature === undefined ? { type: 'reasoning', text: part.text } : { type: 'reasoning', text: part.text, signature });
      return;
    }
    if (signature !== undefined) decoded.push({ type: 'reasoning', text: '', signature });
    if (part.text !== undefined) {
      // Gemini ends streams, and sometimes responses, with an empty text part: it says nothing.
      if (part.text !== '') decoded.push({ type: 'text', text: part.text });
      return;
    }
    if (signature === undefined && part.thought !== true) options.onUnsupportedPart(index, partKind(part));
  });
  return decoded;
};
