import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordQueue } from './record-queue.ts';

const drain = (queue: RecordQueue<number>): number[] => queue.takeFront(queue.length);

test('takes from the front in order and reports its length', () => {
  const queue = new RecordQueue<number>();
  [1, 2, 3, 4, 5].forEach((item) => queue.push(item));
  assert.deepEqual(queue.takeFront(2), [1, 2]);
  assert.equal(queue.length, 3);
  assert.deepEqual(queue.takeFront(10), [3, 4, 5]);
  assert.deepEqual(queue.takeFront(1), []);
  assert.equal(queue.length, 0);
});

test('puts taken items back in front, whether or not there is room before the head', () => {
  const queue = new RecordQueue<number>();
  [1, 2, 3, 4].forEach((item) => queue.push(item));
  const taken = queue.takeFront(2);
  queue.push(5);
  queue.putFront(taken);
  assert.deepEqual(drain(queue), [1, 2, 3, 4, 5]);
  queue.push(9);
  queue.putFront([7, 8]);
  assert.deepEqual(drain(queue), [7, 8, 9]);
});

test('drops from the front, never more than it holds', () => {
  const queue = new RecordQueue<number>();
  [1, 2, 3].forEach((item) => queue.push(item));
  assert.equal(queue.dropFront(2), 2);
  assert.equal(queue.dropFront(5), 1);
  assert.equal(queue.dropFront(-3), 0);
  assert.equal(queue.length, 0);
});

test('stays correct across compactions of a long-running queue', () => {
  const queue = new RecordQueue<number>();
  const expected: number[] = [];
  for (let item = 0; item < 10_000; item += 1) {
    queue.push(item);
    expected.push(item);
    if (item % 3 === 0) assert.deepEqual(queue.takeFront(2), expected.splice(0, 2));
  }
  assert.deepEqual(drain(queue), expected);
});
