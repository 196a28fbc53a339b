import type { JsonObject, JsonValue } from '../../core/model/index.ts';

/**
 * Drops the properties whose value is undefined, so that optional fields are absent rather than
 * present-and-undefined: the wire stays minimal and decoded values compare equal to expectations.
 */
export const definedProperties = <Value extends object>(value: Value): Value =>
  Object.fromEntries(Object.entries(value).filter(([, property]) => property !== undefined)) as Value;

/** The same for a JSON object under construction. */
export const definedJson = (value: Record<string, JsonValue | undefined>): JsonObject => {
  const result: JsonObject = {};
  for (const [key, property] of Object.entries(value)) if (property !== undefined) result[key] = property;
  return result;
};
