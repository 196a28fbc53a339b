import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatRoute, pageNames, parseRoute } from './router.ts';

describe('dashboard routes', () => {
  test('each page has a hash route, and a route survives a round trip through the URL', () => {
    for (const page of pageNames) {
      assert.deepEqual(parseRoute(`#/${page}`), { page, range: null });
      assert.deepEqual(parseRoute(formatRoute({ page, range: '7d' })), { page, range: '7d' });
    }
    assert.equal(formatRoute({ page: 'costs', range: '30d' }), '#/costs?range=30d');
  });

  test('an empty, unknown or malformed hash opens the overview instead of a blank page', () => {
    for (const hash of ['', '#', '#/', '#/nope', '#/../../etc', '#/overview/extra', '#%%%', '#/COSTS']) {
      assert.equal(parseRoute(hash).page, 'overview', hash);
    }
  });

  test('tolerates a trailing slash and a missing leading slash; an empty range is no range', () => {
    assert.deepEqual(parseRoute('#/latency/?range=24h'), { page: 'latency', range: '24h' });
    assert.deepEqual(parseRoute('#keys'), { page: 'keys', range: null });
    assert.deepEqual(parseRoute('#/costs?range='), { page: 'costs', range: null });
    assert.deepEqual(parseRoute('#/costs?other=1'), { page: 'costs', range: null });
  });
});
