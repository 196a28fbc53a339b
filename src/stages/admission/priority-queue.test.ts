import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPriorityQueue } from './priority-queue.ts';
import type { Priority } from './request-priority.ts';

const strict = () => createPriorityQueue<string>({ agingMs: Number.POSITIVE_INFINITY });

const drain = (queue: ReturnType<typeof strict>, now = 0): string[] => {
  const order: string[] = [];
  for (let entry = queue.shift(now); entry !== undefined; entry = queue.shift(now)) order.push(entry.value);
  return order;
};

test('high overtakes normal, which overtakes low, whatever the arrival order', () => {
  const queue = strict();
  const arrivals: Array<[string, Priority]> = [['l1', 'low'], ['n1', 'normal'], ['h1', 'high'], ['l2', 'low'], ['h2', 'high'], ['n2', 'normal']];
  arrivals.forEach(([name, priority], index) => queue.push(name, priority, 'vk', index));
  assert.equal(queue.size, 6);
  assert.equal(queue.sizeOf('high'), 2);
  assert.deepEqual(drain(queue), ['h1', 'h2', 'n1', 'n2', 'l1', 'l2']);
  assert.equal(queue.size, 0);
  assert.equal(queue.shift(0), undefined);
});

test('within a class, keys take turns; each key keeps its own order', () => {
  const queue = strict();
  for (const name of ['a1', 'a2', 'a3']) queue.push(name, 'normal', 'vk_a', 0);
  for (const name of ['b1', 'b2']) queue.push(name, 'normal', 'vk_b', 1);
  queue.push('c1', 'normal', 'vk_c', 2);
  assert.deepEqual(drain(queue), ['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
});

test('a key with 1,000 queued does not starve a key with 10: the ten are served within the first 20 turns', () => {
  const queue = strict();
  for (let index = 0; index < 1000; index++) queue.push(`noisy-${index}`, 'low', 'vk_noisy', index);
  for (let index = 0; index < 10; index++) queue.push(`quiet-${index}`, 'low', 'vk_quiet', 1000 + index);
  const first20 = drain(queue).slice(0, 20);
  assert.equal(first20.filter((name) => name.startsWith('quiet-')).length, 10);
  assert.deepEqual(first20.filter((name) => name.startsWith('quiet-')), Array.from({ length: 10 }, (_, index) => `quiet-${index}`));
});

test('aging: a low waiter is promoted one class per agingMs waited, so a stream of high traffic cannot starve it', () => {
  const queue = createPriorityQueue<string>({ agingMs: 1000 });
  queue.push('old-low', 'low', 'vk_batch', 0);
  queue.push('high-1', 'high', 'vk_app', 100);
  // At 1.5 s the low waiter counts as normal: high still overtakes it.
  assert.equal(queue.shift(1500)?.value, 'high-1');
  queue.push('high-2', 'high', 'vk_app', 1600);
  queue.push('normal-1', 'normal', 'vk_app', 1600);
  // At 1.7 s it ties with the fresh normal waiter, and has waited longer.
  assert.equal(queue.shift(1700)?.value, 'high-2');
  assert.equal(queue.shift(1700)?.value, 'old-low');
  assert.equal(queue.shift(1700)?.value, 'normal-1');
});

test('aging: after 2 × agingMs a low waiter ties with high and, being older, goes first', () => {
  const queue = createPriorityQueue<string>({ agingMs: 1000 });
  queue.push('old-low', 'low', 'vk_batch', 0);
  queue.push('fresh-high', 'high', 'vk_app', 1900);
  assert.equal(queue.shift(1999)?.value, 'fresh-high');
  queue.push('fresh-high-2', 'high', 'vk_app', 1999);
  assert.equal(queue.shift(2000)?.value, 'old-low');
});

test('a removed entry is never served, removing twice is a no-op, and a key whose lane empties leaves the rotation', () => {
  const queue = strict();
  const a1 = queue.push('a1', 'normal', 'vk_a', 0);
  queue.push('b1', 'normal', 'vk_b', 0);
  queue.push('b2', 'normal', 'vk_b', 0);
  assert.equal(a1.remove(), true);
  assert.equal(a1.remove(), false);
  assert.equal(queue.size, 2);
  queue.push('a2', 'normal', 'vk_a', 1);
  assert.deepEqual(drain(queue), ['b1', 'a2', 'b2']);
});

test('an entry served cannot be removed afterwards', () => {
  const queue = strict();
  const ticket = queue.push('only', 'high', '', 0);
  assert.equal(queue.shift(0)?.value, 'only');
  assert.equal(ticket.remove(), false);
  assert.equal(queue.size, 0);
});
