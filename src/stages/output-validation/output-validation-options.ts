import { z } from 'zod';

const compiles = (pattern: string): boolean => {
  try {
    return new RegExp(pattern, 'u') instanceof RegExp;
  } catch {
    return false;
  }
};

/**
 * A prohibited pattern: a JavaScript regular expression source, compiled once with the `u` flag.
 * Case-insensitive matching uses an inline modifier, e.g. `(?i:password)`.
 */
const prohibitedPatternSchema = z.string().min(1).max(1_000).refine(compiles, { message: 'not a valid regular expression (compiled with the u flag)' });

/** A dotted path into the JSON output (`customer.address.city`, `items.0.sku`). */
const requiredFieldSchema = z.string().regex(/^[^.]+(\.[^.]+)*$/, { message: 'a dotted path such as customer.name, without empty segments' }).max(300);

const fields = {
  /** Validate outputs at all. On by default: the response-format and tool-argument checks cost little. */
  enabled: z.boolean(),
  /** How many times an invalid result is asked for again, on the same target, before the attempt fails. */
  maxReasks: z.int().min(0).max(5),
  /** Longest answer text accepted, in characters (UTF-16 code units). */
  maxOutputCharacters: z.int().positive(),
  /** For JSON outputs (`json-object`, `json-schema`): paths that must be present (`null` counts as present). */
  requiredFields: z.array(requiredFieldSchema).max(100),
  /** Regular expressions no answer may match (text, tool-call arguments and reasoning are checked). */
  prohibitedPatterns: z.array(prohibitedPatternSchema).max(100),
};

/** Output validation settings, as configured globally. */
export const outputValidationOptionsSchema = z.strictObject({
  enabled: fields.enabled.default(true),
  maxReasks: fields.maxReasks.default(1),
  maxOutputCharacters: fields.maxOutputCharacters.optional(),
  requiredFields: fields.requiredFields.default([]),
  prohibitedPatterns: fields.prohibitedPatterns.default([]),
});

/**
 * Overrides for one route: the same fields, none required and none defaulted, so that an absent field
 * means "as configured globally" (zod 4 would apply the defaults of a `.partial()` of the schema above).
 */
export const outputValidationOverridesSchema = z.strictObject(fields).partial();

export type OutputValidationOptions = z.output<typeof outputValidationOptionsSchema>;
export type OutputValidationOverrides = z.output<typeof outputValidationOverridesSchema>;

/**
 * Layers a route's overrides over the global options. Each field present in `overrides` replaces the
 * global one whole (lists are not concatenated), so a route can also drop a global pattern.
 */
export const mergeOutputValidationOptions = (base: OutputValidationOptions, overrides: OutputValidationOverrides | undefined): OutputValidationOptions => {
  if (overrides === undefined) return base;
  const merged: OutputValidationOptions = { ...base };
  if (overrides.enabled !== undefined) merged.enabled = overrides.enabled;
  if (overrides.maxReasks !== undefined) merged.maxReasks = overrides.maxReasks;
  if (overrides.maxOutputCharacters !== undefined) merged.maxOutputCharacters = overrides.maxOutputCharacters;
  if (overrides.requiredFields !== undefined) merged.requiredFields = overrides.requiredFields;
  if (overrides.prohibitedPatterns !== undefined) merged.prohibitedPatterns = overrides.prohibitedPatterns;
  return merged;
};
