import { z } from 'zod';

const snakeToCamel = (key: string): string => key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * Gemini's REST API speaks proto3 JSON, which accepts every field in lowerCamelCase or under its proto
 * snake_case name; Google's own curl examples send `inline_data`, `mime_type` and `system_instruction`.
 * This renames the snake_case spelling of the *known* fields of one object before validation, so
 * free-form values beneath it (function arguments, JSON Schemas, labels) are never rewritten.
 */
const camelizeKnownKeys =
  (knownKeys: ReadonlySet<string>) =>
  (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const source = value as Record<string, unknown>;
    let renamed: Record<string, unknown> | undefined;
    for (const key of Object.keys(source)) {
      if (!key.includes('_')) continue;
      const camel = snakeToCamel(key);
      if (!knownKeys.has(camel) || Object.hasOwn(source, camel)) continue;
      renamed ??= { ...source };
      renamed[camel] = source[key];
      delete renamed[key];
    }
    return renamed ?? source;
  };

/** A Gemini JSON object whose unknown fields are dropped. */
export const geminiObject = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.preprocess(camelizeKnownKeys(new Set(Object.keys(shape))), z.object(shape));

/** A Gemini JSON object whose unknown fields are kept (as JSON values), for passing them through. */
export const geminiObjectKeepingUnknown = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.preprocess(camelizeKnownKeys(new Set(Object.keys(shape))), z.object(shape).catchall(z.json()));
