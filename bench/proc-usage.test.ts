import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcessStat, parseVmRssBytes, processTree, treeCpuMs, treeRssBytes } from './proc-usage.ts';

test('parseProcessStat reads ppid and utime+stime even when the command name holds spaces and parentheses', () => {
  const line = '4242 (node (worker) 1) S 4200 4242 4200 0 -1 4194560 1000 0 0 0 150 50 0 0 20 0 11 0 100 1000000 2000 18446744073709551615';
  const stat = parseProcessStat(line);
  assert.equal(stat.parentPid, 4200);
  assert.equal(stat.cpuMs, 2000); // 200 ticks at USER_HZ 100
});

test('parseProcessStat refuses a line it cannot read', () => {
  assert.throws(() => parseProcessStat('garbage'), /cannot read/);
});

test('parseVmRssBytes reads kB into bytes, and nothing for a process without memory', () => {
  assert.equal(parseVmRssBytes('Name:\tnode\nVmRSS:\t   81234 kB\nThreads:\t11\n'), 81234 * 1024);
  assert.equal(parseVmRssBytes('Name:\tzombie\nThreads:\t1\n'), undefined);
});

test('this process shows up in its own tree with CPU used and memory resident', () => {
  assert.equal(processTree(process.pid)[0], process.pid);
  assert.ok(treeCpuMs(process.pid) >= 0);
  assert.ok(treeRssBytes(process.pid) > 0);
});
