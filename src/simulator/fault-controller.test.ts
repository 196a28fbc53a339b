import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultController } from './fault-controller.ts';
import { faultRulesBodySchema } from './fault-rule.ts';

test('with no rules no fault is picked', () => {
  assert.equal(new FaultController().pick('gpt-4o'), undefined);
});

test('count fails the first N matching requests only', () => {
  const faults = new FaultController();
  faults.set([{ fault: 'rate-limit', count: 2 }]);
  assert.deepEqual(['a', 'b', 'c'].map((model) => faults.pick(model)), ['rate-limit', 'rate-limit', undefined]);
  assert.equal(faults.list()[0]?.fired, 2);
});

test('model restricts a rule to one model', () => {
  const faults = new FaultController();
  faults.set([{ fault: 'server-error', model: 'gpt-4o' }]);
  assert.equal(faults.pick('gpt-4o-mini'), undefined);
  assert.equal(faults.pick('gpt-4o'), 'server-error');
});

test('rate fails about that share of requests, reproducibly', () => {
  const faults = new FaultController(42);
  faults.set([{ fault: 'unavailable', rate: 0.3 }]);
  const first = Array.from({ length: 1000 }, () => faults.pick('m'));
  const share = first.filter((fault) => fault === 'unavailable').length / 1000;
  assert.ok(share > 0.25 && share < 0.35, `share ${share}`);
  faults.set([{ fault: 'unavailable', rate: 0.3 }]);
  assert.deepEqual(Array.from({ length: 1000 }, () => faults.pick('m')), first);
});

test('rules are tried in order and clear removes them all', () => {
  const faults = new FaultController();
  faults.set([{ fault: 'hang', count: 1 }, { fault: 'reset' }]);
  assert.equal(faults.pick('m'), 'hang');
  assert.equal(faults.pick('m'), 'reset');
  faults.clear();
  assert.equal(faults.pick('m'), undefined);
});

test('the control-plane body accepts a list or { rules } and rejects unknown faults and bad rates', () => {
  assert.deepEqual(faultRulesBodySchema.parse([{ fault: 'hang' }]), [{ fault: 'hang' }]);
  assert.deepEqual(faultRulesBodySchema.parse({ rules: [{ fault: 'reset', rate: 0.5 }] }), [{ fault: 'reset', rate: 0.5 }]);
  assert.equal(faultRulesBodySchema.safeParse([{ fault: 'meteor' }]).success, false);
  assert.equal(faultRulesBodySchema.safeParse([{ fault: 'hang', rate: 2 }]).success, false);
  assert.equal(faultRulesBodySchema.safeParse([{ fault: 'hang', count: -1 }]).success, false);
  assert.equal(faultRulesBodySchema.safeParse({ fault: 'hang' }).success, false);
});
