import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApiSchemaToJsonSchema } from './openapi-schema-to-json-schema.ts';

test('converts Gemini\'s OpenAPI subset to JSON Schema, deeply', () => {
  assert.deepEqual(
    openApiSchemaToJsonSchema({
      type: 'OBJECT',
      properties: {
        tags: { type: 'ARRAY', items: { type: 'STRING', enum: ['a', 'b'] }, minItems: '1', maxItems: '5' },
        note: { type: 'STRING', nullable: true, maxLength: '200' },
        choice: { anyOf: [{ type: 'INTEGER', format: 'int32' }, { type: 'BOOLEAN' }] },
        anything: { type: 'TYPE_UNSPECIFIED', description: 'free' },
      },
      required: ['tags'],
      propertyOrdering: ['tags', 'note'],
    }),
    {
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 1, maxItems: 5 },
        note: { type: ['string', 'null'], maxLength: 200 },
        choice: { anyOf: [{ type: 'integer', format: 'int32' }, { type: 'boolean' }] },
        anything: { description: 'free' },
      },
      required: ['tags'],
      propertyOrdering: ['tags', 'note'],
    },
  );
});

test('leaves JSON Schema that is already lower-case as it is', () => {
  const schema = { type: 'object', properties: { name: { type: 'string', description: 'Name' } }, required: ['name'] };
  assert.deepEqual(openApiSchemaToJsonSchema(schema), schema);
  // A property named like a keyword is a property, not a keyword.
  assert.deepEqual(openApiSchemaToJsonSchema({ type: 'OBJECT', properties: { nullable: { type: 'BOOLEAN' } } }), {
    type: 'object', properties: { nullable: { type: 'boolean' } },
  });
});
