import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBoundedLabel } from './bounded-label.ts';

test('keeps the first values it sees, maps every later one to the overflow value', () => {
  const label = createBoundedLabel(2);
  assert.deepEqual(['a', 'b', 'c', 'a', 'd', 'b'].map(label), ['a', 'b', 'other', 'a', 'other', 'b']);
});

test('the overflow value can be named', () => {
  const label = createBoundedLabel(0, 'unknown');
  assert.equal(label('x'), 'unknown');
});
