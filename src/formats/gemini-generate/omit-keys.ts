import type { JsonObject, JsonValue } from '../../core/model/index.ts';

/** The defined fields of `object` other than `keys`: what a decoder keeps for providerOptions. */
export const omitKeys = (object: Readonly<Record<string, JsonValue | undefined>>, keys: readonly string[]): JsonObject => {
  const omitted: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (value !== undefined && !keys.includes(key)) omitted[key] = value;
  }
  return omitted;
};
