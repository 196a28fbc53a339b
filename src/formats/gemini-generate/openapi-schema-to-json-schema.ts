import type { JsonObject, JsonSchema, JsonValue } from '../../core/model/index.ts';

/**
 * Gemini's `Schema` (FunctionDeclaration.parameters, GenerationConfig.responseSchema) is a subset of
 * the OpenAPI 3.0 Schema Object: upper-case `type` names (`STRING`, `OBJECT`), `nullable` instead of a
 * `null` type, and int64 limits sent as strings (`"minItems": "1"`).
 * https://ai.google.dev/api/caching#Schema. The canonical model holds JSON Schema, so this rewrites
 * those three differences and keeps every other keyword as it is.
 */
const integerKeywords: ReadonlySet<string> = new Set([
  'minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties',
]);

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const convertValue = (value: JsonValue): JsonValue => (isObject(value) ? openApiSchemaToJsonSchema(value) : value);

const convertType = (type: JsonValue, nullable: boolean): JsonValue | undefined => {
  if (typeof type !== 'string') return type;
  const lower = type.toLowerCase();
  if (lower === 'type_unspecified') return undefined;
  return nullable && lower !== 'null' ? [lower, 'null'] : lower;
};

const convertKeyword = (key: string, value: JsonValue): JsonValue => {
  if (key === 'properties' && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convertValue(schema)]));
  }
  if (key === 'items') return convertValue(value);
  if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) return value.map(convertValue);
  if (integerKeywords.has(key) && typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return value;
};

export const openApiSchemaToJsonSchema = (schema: JsonObject): JsonSchema => {
  const nullable = schema['nullable'] === true;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable') continue;
    if (key === 'type') {
      const type = convertType(value, nullable);
      if (type !== undefined) converted['type'] = type;
      continue;
    }
    converted[key] = convertKeyword(key, value);
  }
  return converted;
};
