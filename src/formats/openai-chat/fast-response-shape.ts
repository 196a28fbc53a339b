import type { z } from 'zod';
import type { ChatCompletionChunk, chatCompletionSchema, OpenaiUsage } from './response-schemas.ts';

type ChatCompletion = z.output<typeof chatCompletionSchema>;

/**
 * zod-free checks for the answers nearly every call gets: a completion or a streamed chunk with text
 * and no tool calls. When one holds, the body is what `chatCompletionSchema` / `chatCompletionChunkSchema`
 * would accept and yield for the fields decoding reads; anything else returns undefined and the schema
 * decides, with its own error messages. The checks are narrower than the schemas, never wider.
 */

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const nullishString = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
const nullishCount = (value: unknown): boolean => value === undefined || value === null || isCount(value);

const nullishDetails = (value: unknown, fields: readonly string[]): boolean =>
  value === undefined || value === null || (isPlainObject(value) && fields.every((field) => nullishCount(value[field])));

const isUsage = (usage: unknown): usage is OpenaiUsage =>
  isPlainObject(usage) &&
  isCount(usage['prompt_tokens']) &&
  isCount(usage['completion_tokens']) &&
  nullishCount(usage['total_tokens']) &&
  nullishDetails(usage['prompt_tokens_details'], ['cached_tokens', 'cache_write_tokens']) &&
  nullishDetails(usage['completion_tokens_details'], ['reasoning_tokens']);

/** A message or delta with text fields only; tool calls are rarer and more intricate, so the schema checks them. */
const isTextBody = (body: unknown): boolean =>
  isPlainObject(body) &&
  nullishString(body['content']) &&
  nullishString(body['refusal']) &&
  nullishString(body['reasoning_content']) &&
  nullishString(body['reasoning']) &&
  body['tool_calls'] === undefined;

const isChoice = (choice: unknown, bodyKey: 'message' | 'delta'): boolean => {
  if (!isPlainObject(choice)) return false;
  if (choice['index'] !== undefined && !Number.isSafeInteger(choice['index'])) return false;
  const body = choice[bodyKey];
  // A chunk's delta may be absent (Azure's content-filter chunks); a completion's message may not.
  const bodyOk = bodyKey === 'delta' && (body === undefined || body === null) ? true : isTextBody(body);
  return bodyOk && nullishString(choice['finish_reason']);
};

const hasValidHeader = (json: Record<string, unknown>): boolean => {
  const { created } = json;
  if (!optionalString(json['id']) || !optionalString(json['model'])) return false;
  if (created !== undefined && !(typeof created === 'number' && Number.isFinite(created))) return false;
  const usage = json['usage'];
  return usage === undefined || usage === null || isUsage(usage);
};

export const fastChunkShape = (json: unknown): ChatCompletionChunk | undefined => {
  if (!isPlainObject(json) || !hasValidHeader(json)) return undefined;
  const { choices } = json;
  if (choices !== undefined && !(Array.isArray(choices) && choices.every((choice) => isChoice(choice, 'delta')))) return undefined;
  return json as ChatCompletionChunk;
};

export const fastCompletionShape = (json: unknown): ChatCompletion | undefined => {
  if (!isPlainObject(json) || !hasValidHeader(json)) return undefined;
  const { choices } = json;
  if (!Array.isArray(choices) || !choices.every((choice) => isChoice(choice, 'message'))) return undefined;
  return json as ChatCompletion;
};
