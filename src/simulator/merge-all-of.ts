import type { JsonObject, JsonValue } from '../core/model/index.ts';
import { isJsonObject, readTypes } from './json-schema-access.ts';

const lowerBounds = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const upperBounds = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);

const mergeKeyword = (key: string, current: JsonValue, incoming: JsonValue): JsonValue => {
  if (key === 'properties' && isJsonObject(current) && isJsonObject(incoming)) {
    const properties: JsonObject = { ...current };
    for (const [name, schema] of Object.entries(incoming)) {
      const existing = properties[name];
      properties[name] = isJsonObject(existing) && isJsonObject(schema) ? mergeSchemaPair(existing, schema) : schema;
    }
    return properties;
  }
  if (key === 'required' && Array.isArray(current) && Array.isArray(incoming)) return [...new Set([...current, ...incoming])];
  if (typeof current === 'number' && typeof incoming === 'number') {
    if (lowerBounds.has(key)) return Math.max(current, incoming);
    if (upperBounds.has(key)) return Math.min(current, incoming);
  }
  if (key === 'type') {
    const currentTypes = readTypes({ type: current });
    const common = readTypes({ type: incoming }).filter((type) => currentTypes.includes(type) || (type === 'integer' && currentTypes.includes('number')));
    return common.length === 1 ? (common[0] as string) : common;
  }
  return incoming;
};

const mergeSchemaPair = (base: JsonObject, part: JsonObject): JsonObject => {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(part)) {
    const current = merged[key];
    merged[key] = current === undefined ? value : mergeKeyword(key, current, value);
  }
  return merged;
};

/**
 * Folds `allOf` into one schema, so a value can be generated for all branches at once: properties
 * and `required` are united, bounds tightened, types intersected. `resolve` follows `$ref`s first.
 * Enough for the composition people write by hand (a base object extended with more fields); not a
 * general schema intersection.
 */
export const mergeAllOf = (schema: JsonObject, parts: JsonObject[], resolve: (part: JsonObject) => JsonObject): JsonObject => {
  const { allOf: _allOf, ...base } = schema;
  return parts.map(resolve).reduce(mergeSchemaPair, base);
};
