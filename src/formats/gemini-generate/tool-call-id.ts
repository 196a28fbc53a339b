/**
 * Gemini's FunctionCall.id is optional and usually absent: calls and responses pair up by name and
 * order. The canonical model pairs them by id, so Bulwark makes one, deterministically (the same body
 * always gives the same ids), and never writes a made-up id back onto Gemini's wire.
 */
const synthesizedPrefix = 'gemini-call-';

/** Characters outside `[A-Za-z0-9_-]` are replaced: Anthropic rejects tool ids with any other. */
const sanitize = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '_');

/** `scope` tells turns or responses apart; `position` is the part's index within it. */
export const synthesizeToolCallId = (scope: string, position: number, name: string): string =>
  `${synthesizedPrefix}${sanitize(scope)}-${position}-${sanitize(name)}`;

export const isSynthesizedToolCallId = (id: string): boolean => id.startsWith(synthesizedPrefix);
