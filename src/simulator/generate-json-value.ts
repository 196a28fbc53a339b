import type { JsonObject, JsonSchema, JsonValue } from '../core/model/index.ts';
import type { Random } from './deterministic-random.ts';
import { generateInteger, generateNumber, generateString } from './generate-json-scalar.ts';
import { isJsonObject, readNumber, readObject, readSchemaList, readString, readStringList, readTypes, resolveReference } from './json-schema-access.ts';
import { mergeAllOf } from './merge-all-of.ts';

/** Past this nesting depth only required properties and minimum array lengths are generated. */
const maximumDepth = 6;

interface Generation {
  root: JsonObject;
  random: Random;
  depth: number;
}

const resolveSchema = (schema: JsonObject, generation: Generation): JsonObject => {
  let current = schema;
  for (let hops = 0; hops < 32; hops++) {
    const reference = readString(current, '$ref');
    if (reference === undefined) return current;
    const target = resolveReference(generation.root, reference);
    if (target === undefined) return {};
    const { $ref: _reference, ...siblings } = current;
    current = Object.keys(siblings).length === 0 ? target : mergeAllOf(siblings, [target], (part) => part);
  }
  return current;
};

/** Infers the type of a schema that names none from the keywords it uses. */
const inferTypes = (schema: JsonObject): string[] => {
  const types = readTypes(schema);
  if (types.length > 0) return types;
  if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema) return ['object'];
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema) return ['array'];
  if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return ['number'];
  return ['string'];
};

const chooseType = (types: string[], random: Random): string => {
  const nonNull = types.filter((type) => type !== 'null');
  if (nonNull.length === 0) return 'null';
  // Null is valid but rarely the interesting answer; give it a small share.
  if (nonNull.length < types.length && random.chance(0.15)) return 'null';
  return random.pick(nonNull);
};

const generateObject = (schema: JsonObject, generation: Generation): JsonObject => {
  const properties = readObject(schema, 'properties') ?? {};
  const required = new Set(readStringList(schema, 'required'));
  const additional = schema.additionalProperties;
  const shallow = generation.depth >= maximumDepth;
  const result: JsonObject = {};
  for (const [key, propertySchema] of Object.entries(properties)) {
    if (!required.has(key) && (shallow || !generation.random.chance(0.7))) continue;
    result[key] = generateValue(isJsonObject(propertySchema) ? propertySchema : {}, generation, key);
  }
  const extraSchema = isJsonObject(additional) ? additional : {};
  for (const key of required) {
    if (!(key in result)) result[key] = generateValue(extraSchema, generation, key);
  }
  const minimum = readNumber(schema, 'minProperties') ?? 0;
  const maximum = readNumber(schema, 'maxProperties') ?? Number.POSITIVE_INFINITY;
  if (additional !== false && Object.keys(properties).length === 0 && !shallow) {
    const wanted = Math.min(maximum, Math.max(minimum, generation.random.integer(1, 2)));
    for (let index = Object.keys(result).length; index < wanted; index++) {
      result[`key_${index + 1}`] = generateValue(extraSchema, generation, 'value');
    }
  }
  return result;
};

const generateArray = (schema: JsonObject, generation: Generation): JsonValue[] => {
  const prefix = readSchemaList(schema, 'prefixItems');
  const items = schema.items;
  const itemSchema = isJsonObject(items) ? items : {};
  const minimum = readNumber(schema, 'minItems') ?? 0;
  const maximum = items === false ? prefix.length : (readNumber(schema, 'maxItems') ?? Number.POSITIVE_INFINITY);
  const preferred = generation.depth >= maximumDepth ? minimum : generation.random.integer(1, 3);
  const count = Math.min(maximum, Math.max(minimum, preferred, Math.min(prefix.length, maximum)));
  const unique = schema.uniqueItems === true;
  const seen = new Set<string>();
  const result: JsonValue[] = [];
  for (let attempt = 0; result.length < count && attempt < count * 8; attempt++) {
    const value = generateValue(prefix[result.length] ?? itemSchema, generation, 'item');
    const key = JSON.stringify(value);
    if (unique && seen.has(key)) continue;
    seen.add(key);
    result.push(value);
  }
  return result;
};

const generateValue = (rawSchema: JsonObject, parent: Generation, propertyName?: string): JsonValue => {
  const generation: Generation = { ...parent, depth: parent.depth + 1 };
  let schema = resolveSchema(rawSchema, generation);
  const allOf = readSchemaList(schema, 'allOf');
  if (allOf.length > 0) schema = mergeAllOf(schema, allOf, (part) => resolveSchema(part, generation));
  if ('const' in schema) return schema.const as JsonValue;
  const options = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (options !== undefined && options.length > 0) return generation.random.pick(options);
  const branches = [...readSchemaList(schema, 'anyOf'), ...readSchemaList(schema, 'oneOf')];
  if (branches.length > 0) {
    const { anyOf: _anyOf, oneOf: _oneOf, ...base } = schema;
    return generateValue(mergeAllOf(base, [generation.random.pick(branches)], (part) => resolveSchema(part, generation)), parent, propertyName);
  }
  switch (chooseType(inferTypes(schema), generation.random)) {
    case 'object': return generateObject(schema, generation);
    case 'array': return generateArray(schema, generation);
    case 'integer': return generateInteger(schema, generation.random);
    case 'number': return generateNumber(schema, generation.random);
    case 'boolean': return generation.random.chance(0.5);
    case 'null': return null;
    default: return generateString(schema, generation.random, propertyName);
  }
};

/**
 * A value valid against `schema`, chosen by `random`. Supports type (and type lists), properties,
 * required, additionalProperties, items, prefixItems, min/maxItems, uniqueItems, enum, const, anyOf,
 * oneOf (one branch is picked, so overlapping branches may match twice), allOf, min/maxLength,
 * minimum/maximum and their exclusive forms, multipleOf, common string formats, and local `$ref`s
 * into `$defs`/`definitions`, recursive ones included. `pattern`, `not` and conditionals are ignored.
 */
export const generateJsonValue = (schema: JsonSchema, random: Random): JsonValue =>
  generateValue(schema, { root: schema, random, depth: -1 });
