import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonSchema } from '../../core/model/index.ts';
import { createSchemaValidatorCache } from './schema-validator-cache.ts';

const stringSchema = (): JsonSchema => ({ type: 'string', minLength: 2 });

test('equal schemas in different objects share one compiled validator', () => {
  const cache = createSchemaValidatorCache();
  const first = cache.validatorFor(stringSchema());
  assert.ok(first);
  assert.equal(cache.validatorFor(stringSchema()), first);
  assert.equal(cache.size, 1);
  assert.equal(first('ab'), true);
  assert.equal(first('a'), false);
});

test('the cache holds at most maxEntries schemas, dropping the least recently used', () => {
  const cache = createSchemaValidatorCache(2);
  const schemaA: JsonSchema = { const: 'a' };
  const a = cache.validatorFor(schemaA);
  cache.validatorFor({ const: 'b' });
  cache.validatorFor({ const: 'a' }); // a is used again: b is now the oldest
  cache.validatorFor({ const: 'c' });
  assert.equal(cache.size, 2);
  assert.equal(cache.validatorFor({ const: 'a' }), a, 'a was kept');
  const b = cache.validatorFor({ const: 'b' });
  assert.ok(b);
  assert.equal(b('b'), true, 'b was compiled again after eviction');
  assert.equal(cache.size, 2);
});

const withId = (): JsonSchema => ({ $id: 'https://example.com/person', type: 'object', required: ['name'] });

test('an evicted schema compiles again, also when it has an $id', () => {
  const cache = createSchemaValidatorCache(1);
  const first = cache.validatorFor(withId());
  cache.validatorFor({ const: 1 });
  const again = cache.validatorFor(withId());
  assert.ok(again);
  assert.notEqual(again, first);
  assert.equal(again({}), false);
  // Two different schemas with the same $id do not clash either.
  assert.ok(cache.validatorFor({ $id: 'https://example.com/person', type: 'string' }));
});

test('$schema picks the dialect: draft-07 tuple items versus 2020-12 prefixItems', () => {
  const cache = createSchemaValidatorCache();
  const draft7 = cache.validatorFor({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }], additionalItems: false });
  assert.ok(draft7);
  assert.equal(draft7(['a']), true);
  assert.equal(draft7([1]), false);
  assert.equal(draft7(['a', 'b']), false);
  const draft2020 = cache.validatorFor({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }], items: false });
  assert.ok(draft2020);
  assert.equal(draft2020(['a']), true);
  assert.equal(draft2020(['a', 'b']), false);
});

test('an unknown dialect, unknown keywords and unknown formats do not stop validation', () => {
  const cache = createSchemaValidatorCache();
  const validate = cache.validatorFor({
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    type: 'object',
    properties: { when: { type: 'string', format: 'date-time' }, note: { type: 'string', nullable: true, 'x-vendor': 1 } },
    required: ['when'],
  });
  assert.ok(validate);
  assert.equal(validate({ when: 'not a date' }), true, 'formats ajv does not know are ignored');
  assert.equal(validate({}), false);
});

test('a schema ajv cannot compile gives no validator, and is not compiled again', () => {
  const cache = createSchemaValidatorCache();
  assert.equal(cache.validatorFor({ type: 'no-such-type' }), undefined);
  assert.equal(cache.validatorFor({ $ref: '#/definitions/missing' }), undefined);
  assert.equal(cache.size, 2);
  assert.equal(cache.validatorFor({ type: 'no-such-type' }), undefined);
  assert.equal(cache.size, 2);
});
