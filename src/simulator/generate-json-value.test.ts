import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../core/model/index.ts';
import { createRandom } from './deterministic-random.ts';
import { generateJsonValue } from './generate-json-value.ts';

/** ajv with the string formats the generator claims to produce, checked by strict patterns. */
const createValidator = (): Ajv2020 => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('email', /^[^@\s]+@[^@\s]+\.[a-z]+$/);
  ajv.addFormat('uri', /^https?:\/\/[^\s/]+\.[a-z]+(\/\S*)?$/);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  return ajv;
};

const schemas: Record<string, JsonSchema> = {
  'flat object with formats': {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 3, maxLength: 12 },
      email: { type: 'string', format: 'email' },
      homepage: { type: 'string', format: 'uri' },
      born: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      key: { type: 'string', format: 'uuid' },
      age: { type: 'integer', minimum: 18, maximum: 99 },
      score: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      active: { type: 'boolean' },
    },
    required: ['name', 'email', 'homepage', 'born', 'day', 'key', 'age', 'score', 'active'],
    additionalProperties: false,
  },
  'enum, const and nullable types': {
    type: 'object',
    properties: {
      unit: { enum: ['celsius', 'fahrenheit'] },
      version: { const: 2 },
      note: { type: ['string', 'null'] },
      weird: { enum: [1, 'two', null, { three: 3 }] },
    },
    required: ['unit', 'version', 'note', 'weird'],
    additionalProperties: false,
  },
  'arrays with bounds, tuples and uniqueness': {
    type: 'object',
    properties: {
      tags: { type: 'array', items: { type: 'string', maxLength: 5 }, minItems: 2, maxItems: 4 },
      pair: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'string' }], items: false },
      colours: { type: 'array', items: { enum: ['red', 'green', 'blue'] }, uniqueItems: true, minItems: 3 },
      empty: { type: 'array', items: { type: 'number' }, maxItems: 0 },
      steps: { type: 'array', items: { type: 'integer', multipleOf: 5, minimum: 7, maximum: 40 }, minItems: 5 },
    },
    required: ['tags', 'pair', 'colours', 'empty', 'steps'],
  },
  'anyOf and oneOf with a discriminator': {
    type: 'object',
    properties: {
      shape: {
        oneOf: [
          { type: 'object', properties: { kind: { const: 'circle' }, radius: { type: 'number', minimum: 0 } }, required: ['kind', 'radius'], additionalProperties: false },
          { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'integer', minimum: 1 } }, required: ['kind', 'side'], additionalProperties: false },
        ],
      },
      id: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', minLength: 4 }] },
    },
    required: ['shape', 'id'],
  },
  'allOf extending a base': {
    allOf: [
      { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      { properties: { count: { type: 'integer', minimum: 10 } }, required: ['count'] },
      { properties: { count: { maximum: 12 } } },
    ],
  },
  'recursive $ref into $defs': {
    $ref: '#/$defs/node',
    $defs: {
      node: {
        type: 'object',
        properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
        required: ['label', 'children'],
        additionalProperties: false,
      },
    },
  },
  'draft-07 definitions and boolean exclusive bounds': {
    type: 'object',
    definitions: { percent: { type: 'number', minimum: 0, maximum: 100, exclusiveMaximum: 100 } },
    properties: { share: { $ref: '#/definitions/percent' }, free: {} },
    required: ['share', 'free'],
  },
  'open object and map': {
    type: 'object',
    properties: {
      anything: { type: 'object' },
      counts: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, minProperties: 3 },
    },
    required: ['anything', 'counts'],
  },
  'top-level scalar': { type: 'string', minLength: 40 },
};

for (const [name, schema] of Object.entries(schemas)) {
  test(`generates values valid against: ${name}`, () => {
    // Draft-04 style boolean exclusiveMaximum is not 2020-12; validate that one case by hand below.
    const validateSchema = name.startsWith('draft-07') ? undefined : createValidator().compile(schema);
    for (let seed = 1; seed <= 60; seed++) {
      const value = generateJsonValue(schema, createRandom(seed));
      if (validateSchema === undefined) {
        const share = (value as { share: number }).share;
        assert.ok(share >= 0 && share < 100, `seed ${seed}: share ${share}`);
        continue;
      }
      assert.ok(validateSchema(value), `seed ${seed}: ${JSON.stringify(value)} ${JSON.stringify(validateSchema.errors)}`);
    }
  });
}

test('the same seed gives the same value and different seeds vary', () => {
  const schema = schemas['flat object with formats'] as JsonSchema;
  assert.deepEqual(generateJsonValue(schema, createRandom(7)), generateJsonValue(schema, createRandom(7)));
  const distinct = new Set(Array.from({ length: 10 }, (_, seed) => JSON.stringify(generateJsonValue(schema, createRandom(seed)))));
  assert.ok(distinct.size > 5);
});

test('a dangling or remote $ref yields some value instead of throwing', () => {
  assert.doesNotThrow(() => generateJsonValue({ $ref: '#/$defs/missing' }, createRandom(1)));
  assert.doesNotThrow(() => generateJsonValue({ $ref: 'https://example.com/schema.json' }, createRandom(1)));
  assert.doesNotThrow(() => generateJsonValue({ $ref: '#' }, createRandom(1)));
});
