import type { JsonValue } from '../../core/model/index.ts';
import { parseJsonLoosely } from '../shared/classify-upstream-status.ts';

/**
 * Bedrock carries tool-call arguments as a JSON document (`toolUse.input`); the canonical model as the
 * JSON text the model produced. Arguments that are not valid JSON (a model's slip, relayed from
 * another provider) travel as a JSON string rather than being lost, and come back unchanged.
 */
export const toolInputOfArguments = (argumentsText: string): JsonValue => {
  if (argumentsText.trim() === '') return {};
  const parsed = parseJsonLoosely(argumentsText);
  return parsed === undefined ? argumentsText : (parsed as JsonValue);
};

export const argumentsOfToolInput = (input: JsonValue): string => (typeof input === 'string' ? input : JSON.stringify(input));
