import type { ChatCompletionRequestBody } from './schemas.ts';

/**
 * A zod-free check for the request shape nearly every call has (text messages, scalar options). When
 * it holds, the body is exactly what `chatCompletionRequestSchema` would accept and yield for the
 * fields decoding reads, so decoding can skip zod. It is deliberately narrower than the schema: any
 * doubt (tools, content parts, a field it does not know the rules of) returns undefined, and the
 * schema then decides — which keeps every validation error and its `param` as the schema words them.
 */

type Check = (value: unknown) => boolean;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nullish = (check: Check): Check => (value) => value === null || check(value);
const isString: Check = (value) => typeof value === 'string';
const isBoolean: Check = (value) => typeof value === 'boolean';
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isInteger: Check = (value) => Number.isSafeInteger(value);
const between = (low: number, high: number): Check => (value) => typeof value === 'number' && value >= low && value <= high;
const isStop: Check = (value) => typeof value === 'string' || (Array.isArray(value) && value.every(isString));
const isStreamOptions: Check = (value) => isPlainObject(value) && (value['include_usage'] === undefined ? !('include_usage' in value) : isBoolean(value['include_usage']));

/** The schema's top-level fields this check can judge; the others (tools, response_format, ...) go to zod. */
const topLevel: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['model', (value) => typeof value === 'string' && value !== ''],
  ['max_tokens', nullish(isCount)],
  ['max_completion_tokens', nullish(isCount)],
  ['temperature', nullish(between(0, 2))],
  ['top_p', nullish(between(0, 1))],
  ['stop', nullish(isStop)],
  ['seed', nullish(isInteger)],
  ['frequency_penalty', nullish(between(-2, 2))],
  ['presence_penalty', nullish(between(-2, 2))],
  ['reasoning_effort', nullish(isString)],
  ['stream', nullish(isBoolean)],
  ['stream_options', nullish(isStreamOptions)],
  ['user', isString],
  ['parallel_tool_calls', nullish(isBoolean)],
  ['n', nullish((value) => isInteger(value) && (value as number) >= 1)],
  ['logprobs', nullish(isBoolean)],
  ['store', nullish(isBoolean)],
  ['service_tier', nullish(isString)],
]);

/** Fields the schema declares that this check leaves to zod. */
const declaredElsewhere: ReadonlySet<string> = new Set([
  'messages', 'tools', 'tool_choice', 'response_format', 'top_logprobs', 'logit_bias', 'metadata', 'modalities',
]);

const textRoles: ReadonlySet<unknown> = new Set(['system', 'developer', 'user', 'assistant']);

/** `{role, content: string, name?}` with a role whose string content needs nothing more. */
const isTextMessage = (message: unknown): boolean => {
  if (!isPlainObject(message)) return false;
  let keys = 0;
  for (const key in message) {
    keys += 1;
    if (key !== 'role' && key !== 'content' && key !== 'name') return false;
  }
  if (!textRoles.has(message['role']) || typeof message['content'] !== 'string') return false;
  return keys === 2 || typeof message['name'] === 'string';
};

export const fastRequestShape = (body: unknown): ChatCompletionRequestBody | undefined => {
  if (!isPlainObject(body) || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isTextMessage)) return undefined;
  for (const key in body) {
    if (key === 'messages') continue;
    const value = body[key];
    // An explicit `undefined` (only possible from code, not JSON) is left to the schema's rules.
    if (value === undefined) return undefined;
    const check = topLevel.get(key);
    if (check === undefined ? declaredElsewhere.has(key) : !check(value)) return undefined;
  }
  return body as ChatCompletionRequestBody;
};
