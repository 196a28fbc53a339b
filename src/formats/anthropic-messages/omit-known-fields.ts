import { z } from 'zod';
import type { JsonObject } from '../../core/model/index.ts';

const jsonValueSchema = z.json();

/**
 * The fields of `object` the codec does not translate, as JSON, or undefined when there are none.
 * They travel in `providerOptions['anthropic-messages']` so same-format calls keep them.
 */
export const omitKnownFields = (object: Record<string, unknown>, known: ReadonlySet<string>): JsonObject | undefined => {
  let rest: JsonObject | undefined;
  for (const [key, value] of Object.entries(object)) {
    if (known.has(key) || value === undefined) continue;
    const parsed = jsonValueSchema.safeParse(value);
    if (!parsed.success) continue;
    rest ??= {};
    rest[key] = parsed.data;
  }
  return rest;
};
