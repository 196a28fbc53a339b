import type { JsonObject } from '../../core/model/index.ts';

const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A tool call's JSON text as the object that Anthropic's `tool_use.input`, Gemini's
 * `FunctionCall.args` and Bedrock's `toolUse.input` must be.
 *
 * Models sometimes produce arguments that are not a JSON object (cut off at the token limit, or plain
 * wrong), and callers send that history back. These providers accept only an object, and dropping the
 * call would orphan its tool result (which they reject too), so such arguments become `{}` and the
 * call is kept: the conversation stays valid and the tool result still says what happened.
 */
export const parseToolArguments = (text: string): JsonObject => {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isJsonObject(value) ? value : {};
  } catch {
    return {};
  }
};
