import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (USER_HZ; 100 on almost every Linux). */
const clockTicksPerSecond = ((): number => {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

/** The resolution of a CPU reading: one tick, in milliseconds (10 ms at USER_HZ 100). */
export const cpuTickMs = 1000 / clockTicksPerSecond;

export interface ProcessStat {
  parentPid: number;
  /** utime + stime of every thread of the process, in milliseconds. */
  cpuMs: number;
}

/**
 * Reads /proc/<pid>/stat. The command name (field 2) may hold spaces and parentheses, so the fields
 * are counted from the last `)`: state, ppid, ... utime is field 14, stime field 15.
 */
export const parseProcessStat = (text: string): ProcessStat => {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const parentPid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(parentPid) || !Number.isFinite(ticks)) throw new Error(`cannot read /proc stat line "${text.slice(0, 80)}"`);
  return { parentPid, cpuMs: (ticks * 1000) / clockTicksPerSecond };
};

const readStat = (pid: number): ProcessStat | undefined => {
  try {
    return parseProcessStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined; // The process ended between listing and reading.
  }
};

/** The pid and all its descendants (a cluster's workers), read afresh each time since workers may be replaced. */
export const processTree = (rootPid: number): number[] => {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat === undefined) continue;
    const siblings = childrenOf.get(stat.parentPid) ?? [];
    siblings.push(Number(entry));
    childrenOf.set(stat.parentPid, siblings);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    tree.push(pid);
    queue.push(...(childrenOf.get(pid) ?? []));
  }
  return tree;
};

/** CPU time (user + system) used so far by a process and its descendants, in milliseconds. */
export const treeCpuMs = (rootPid: number): number =>
  processTree(rootPid).reduce((total, pid) => total + (readStat(pid)?.cpuMs ?? 0), 0);

/** `VmRSS:   123456 kB` → bytes; undefined for a process without memory (a zombie). */
export const parseVmRssBytes = (status: string): number | undefined => {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
};

/** Resident memory of a process and its descendants, in bytes. */
export const treeRssBytes = (rootPid: number): number =>
  processTree(rootPid).reduce((total, pid) => {
    try {
      return total + (parseVmRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8')) ?? 0);
    } catch {
      return total;
    }
  }, 0);
