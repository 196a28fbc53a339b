import type { JsonObject, JsonValue } from '../core/model/index.ts';

/** Typed reads of JSON Schema keywords, which arrive as untyped JSON. */

export const isJsonObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const readObject = (schema: JsonObject, key: string): JsonObject | undefined => {
  const value = schema[key];
  return isJsonObject(value) ? value : undefined;
};

export const readNumber = (schema: JsonObject, key: string): number | undefined => {
  const value = schema[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

export const readString = (schema: JsonObject, key: string): string | undefined => {
  const value = schema[key];
  return typeof value === 'string' ? value : undefined;
};

/** An array of sub-schemas (`anyOf`, `oneOf`, `allOf`, `prefixItems`); booleans are kept as `{}` / skipped. */
export const readSchemaList = (schema: JsonObject, key: string): JsonObject[] => {
  const value = schema[key];
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => (isJsonObject(item) ? [item] : item === true ? [{}] : []));
};

export const readStringList = (schema: JsonObject, key: string): string[] => {
  const value = schema[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
};

/** `type` as a list: `"string"` → `["string"]`, absent → `[]`. */
export const readTypes = (schema: JsonObject): string[] => {
  const value = schema.type;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
};

/**
 * Resolves a local `$ref` (`#/$defs/Name`, `#/definitions/Name`, `#`, or any JSON pointer into the root
 * document). Remote references are not followed: they resolve to undefined.
 */
export const resolveReference = (root: JsonObject, reference: string): JsonObject | undefined => {
  if (!reference.startsWith('#')) return undefined;
  const pointer = reference.slice(1);
  if (pointer === '') return root;
  let current: JsonValue | undefined = root;
  for (const rawSegment of pointer.split('/').slice(1)) {
    const segment = decodeURIComponent(rawSegment).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isJsonObject(current)) current = current[segment];
    else return undefined;
  }
  return isJsonObject(current) ? current : undefined;
};
