import type { RequiredField } from './compile-output-validation-rules.ts';

const hasSegment = (value: unknown, segment: string): value is Record<string, unknown> => {
  if (Array.isArray(value)) return /^(0|[1-9]\d*)$/.test(segment) && Number(segment) < value.length;
  return typeof value === 'object' && value !== null && Object.hasOwn(value, segment);
};

/**
 * The first required field absent from `value`. A segment of digits indexes an array. A field that is
 * present with the value `null` counts as present: the schema, not this rule, says what may be null.
 */
export const findMissingField = (value: unknown, fields: readonly RequiredField[]): RequiredField | undefined =>
  fields.find((field) => {
    let current: unknown = value;
    for (const segment of field.segments) {
      if (!hasSegment(current, segment)) return true;
      current = current[segment];
    }
    return false;
  });
