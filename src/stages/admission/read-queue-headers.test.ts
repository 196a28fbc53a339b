import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readQueueHeaders } from './read-queue-headers.ts';

const defaults = { priority: 'normal', timeoutMs: 30_000, maxTimeoutMs: 60_000 } as const;

test('reads the priority and the queue timeout from the headers', () => {
  assert.deepEqual(readQueueHeaders({ 'x-bulwark-priority': 'high', 'x-bulwark-queue-timeout-ms': '2500' }, defaults), { priority: 'high', queueTimeoutMs: 2500 });
  assert.deepEqual(readQueueHeaders({ 'x-bulwark-priority': ' LOW ' }, defaults), { priority: 'low', queueTimeoutMs: 30_000 });
  assert.equal(readQueueHeaders({ 'x-bulwark-queue-timeout-ms': '0' }, defaults).queueTimeoutMs, 0);
});

test('without headers the key default applies', () => {
  assert.deepEqual(readQueueHeaders({}, { ...defaults, priority: 'low' }), { priority: 'low', queueTimeoutMs: 30_000 });
});

test('malformed priority values fall back to the default priority', () => {
  for (const value of ['urgent', '', 'hi', 'high,low', '1', 'normal\u0000']) {
    assert.equal(readQueueHeaders({ 'x-bulwark-priority': value }, defaults).priority, 'normal', JSON.stringify(value));
  }
  assert.equal(readQueueHeaders({ 'x-bulwark-priority': ['high', 'low'] }, defaults).priority, 'normal', 'a repeated header');
});

test('malformed queue timeouts fall back to the default; long ones are capped', () => {
  for (const value of ['-5', '1e3', '10.5', 'abc', '', ' ', '9999999999', '0x10']) {
    assert.equal(readQueueHeaders({ 'x-bulwark-queue-timeout-ms': value }, defaults).queueTimeoutMs, 30_000, JSON.stringify(value));
  }
  assert.equal(readQueueHeaders({ 'x-bulwark-queue-timeout-ms': ['100', '200'] }, defaults).queueTimeoutMs, 30_000);
  assert.equal(readQueueHeaders({ 'x-bulwark-queue-timeout-ms': '600000' }, defaults).queueTimeoutMs, 60_000);
});
