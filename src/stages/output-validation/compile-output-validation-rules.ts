import type { OutputValidationOptions } from './output-validation-options.ts';

export interface RequiredField {
  /** As configured, for messages. */
  path: string;
  segments: readonly string[];
}

/** The configured rules, compiled once: what `validateResult` checks besides the request's own format. */
export interface OutputValidationRules {
  maxOutputCharacters?: number;
  requiredFields: readonly RequiredField[];
  prohibitedPatterns: readonly RegExp[];
}

export const noOutputValidationRules: OutputValidationRules = { requiredFields: [], prohibitedPatterns: [] };

const compiled = new WeakMap<OutputValidationOptions, OutputValidationRules>();

/**
 * Compiles validated options into rules. Memoised per options object, which lives as long as its config
 * generation: the regular expressions are built once, not per request. Patterns get no `g` or `y` flag,
 * so `test` keeps no state between calls.
 */
export const compileOutputValidationRules = (options: OutputValidationOptions): OutputValidationRules => {
  const known = compiled.get(options);
  if (known !== undefined) return known;
  const rules: OutputValidationRules = {
    requiredFields: options.requiredFields.map((path) => ({ path, segments: path.split('.') })),
    prohibitedPatterns: options.prohibitedPatterns.map((pattern) => new RegExp(pattern, 'u')),
  };
  if (options.maxOutputCharacters !== undefined) rules.maxOutputCharacters = options.maxOutputCharacters;
  compiled.set(options, rules);
  return rules;
};
