import type { ChatRequest, JsonSchema } from '../core/model/index.ts';
import { countTextTokens } from './count-tokens.ts';
import type { FaultName } from './fault-rule.ts';
import { readStringList, readTypes } from './json-schema-access.ts';
import type { PlannedAnswer } from './plan-answer.ts';

/**
 * JSON text that the schema rejects, as a model that ignored it would write: an object without the
 * required fields, or a string where an object was wanted. A schema that accepts any JSON at all
 * cannot be violated; it gets an object with an unexpected field.
 */
export const violateSchema = (schema: JsonSchema): string => {
  if (readStringList(schema, 'required').length > 0) return '{}';
  const types = readTypes(schema);
  if (types.includes('object') || 'properties' in schema) return JSON.stringify('I could not produce the requested object.');
  return JSON.stringify({ unexpected: true });
};

/**
 * The answer after a fault that changes what is said rather than how it is sent: `empty-content`
 * answers nothing; `invalid-json`, when a JSON schema was asked for, answers JSON that violates it.
 */
export const applyContentFault = (answer: PlannedAnswer, fault: FaultName | undefined, request: ChatRequest): PlannedAnswer => {
  const { reasoningTokens: _reasoningTokens, ...usage } = answer.usage;
  if (fault === 'empty-content') {
    return { seed: answer.seed, text: '', toolCalls: [], finishReason: 'stop', usage: { ...usage, outputTokens: 0 } };
  }
  if (fault === 'invalid-json' && request.responseFormat?.type === 'json-schema') {
    const text = violateSchema(request.responseFormat.schema);
    return { seed: answer.seed, text, toolCalls: [], finishReason: 'stop', usage: { ...usage, outputTokens: countTextTokens(text) } };
  }
  return answer;
};
