import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileOutputValidationRules } from './compile-output-validation-rules.ts';
import { mergeOutputValidationOptions, outputValidationOptionsSchema, outputValidationOverridesSchema } from './output-validation-options.ts';

test('defaults: on, one re-ask, no rules', () => {
  assert.deepEqual(outputValidationOptionsSchema.parse({}), { enabled: true, maxReasks: 1, requiredFields: [], prohibitedPatterns: [] });
});

test('malformed options are rejected', () => {
  const malformed: unknown[] = [
    { enabled: 'yes' },
    { maxReasks: -1 },
    { maxReasks: 1.5 },
    { maxReasks: 99 },
    { maxOutputCharacters: 0 },
    { requiredFields: ['a..b'] },
    { requiredFields: ['.a'] },
    { requiredFields: 'a.b' },
    { prohibitedPatterns: ['(unclosed'] },
    { prohibitedPatterns: [''] },
    { prohibitedPatterns: ['\\p{NoSuchProperty}'] },
    { unknownOption: true },
    null,
  ];
  for (const options of malformed) assert.equal(outputValidationOptionsSchema.safeParse(options).success, false, JSON.stringify(options));
  assert.equal(outputValidationOverridesSchema.safeParse({ maxReasks: 'two' }).success, false);
  assert.equal(outputValidationOverridesSchema.safeParse({ typo: 1 }).success, false);
});

test('overrides default nothing, so an absent field keeps the global value', () => {
  assert.deepEqual(outputValidationOverridesSchema.parse({}), {});
  const base = outputValidationOptionsSchema.parse({ maxReasks: 2, prohibitedPatterns: ['secret'], maxOutputCharacters: 500 });
  const merged = mergeOutputValidationOptions(base, outputValidationOverridesSchema.parse({ requiredFields: ['id'], prohibitedPatterns: [] }));
  assert.deepEqual(merged, { enabled: true, maxReasks: 2, maxOutputCharacters: 500, requiredFields: ['id'], prohibitedPatterns: [] });
  assert.equal(mergeOutputValidationOptions(base, undefined), base);
  assert.equal(mergeOutputValidationOptions(base, { enabled: false }).enabled, false);
  assert.deepEqual(base.prohibitedPatterns, ['secret'], 'the global options are not changed');
});

test('rules compile once per options object', () => {
  const options = outputValidationOptionsSchema.parse({ prohibitedPatterns: ['a+'], requiredFields: ['x.y'] });
  const rules = compileOutputValidationRules(options);
  assert.equal(compileOutputValidationRules(options), rules);
  assert.deepEqual(rules.requiredFields, [{ path: 'x.y', segments: ['x', 'y'] }]);
  assert.ok(rules.prohibitedPatterns[0]?.unicode);
});
