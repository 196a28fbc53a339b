import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAdminAnswer, cycleUntil, fromList } from './analytics-calls.ts';

test('an analytics answer is a 200 with an object and a data array', () => {
  assert.equal(checkAdminAnswer(200, '{"object":"analytics.summary","groupBy":null,"data":[]}'), undefined);
  assert.equal(checkAdminAnswer(200, '{"object":"list","data":[{"requestId":"r"}]}'), undefined);
});

test('anything else is a failure named by what is wrong', () => {
  assert.equal(checkAdminAnswer(401, '{"error":{}}'), 'status 401');
  assert.equal(checkAdminAnswer(500, 'not json'), 'status 500');
  assert.equal(checkAdminAnswer(200, '{"object":"list","data":'), 'not JSON');
  assert.equal(checkAdminAnswer(200, ''), 'not JSON');
  for (const body of ['null', '[]', '"data"', '{"data":[]}', '{"object":"list"}', '{"object":"list","data":{}}']) {
    assert.equal(checkAdminAnswer(200, body), 'no data array', body);
  }
});

const shapes = [{ name: 'a', path: '/a' }, { name: 'b', path: '/b' }];

test('fromList hands out each call once, then nothing', () => {
  const next = fromList(shapes);
  assert.deepEqual([next()?.name, next()?.name, next(), next()], ['a', 'b', undefined, undefined]);
});

test('cycleUntil repeats the shapes until told to stop', () => {
  let stopped = false;
  const next = cycleUntil(shapes, () => stopped);
  assert.deepEqual([next()?.name, next()?.name, next()?.name], ['a', 'b', 'a']);
  stopped = true;
  assert.equal(next(), undefined);
  assert.equal(cycleUntil([], () => false)(), undefined);
});
