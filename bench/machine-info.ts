import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  date: string;
  cores: number;
  cpuModel: string;
  node: string;
  kernel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started: a busy machine reads high. */
  loadAverage: number[];
  /** `git describe --always --dirty` of the code measured, when known. */
  bulwarkRevision: string;
  portkeyVersion: string;
}

const gitRevision = (): string => {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { encoding: 'utf8', cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
};

const gibibytes = (bytes: number): number => Math.round((bytes / 2 ** 30) * 10) / 10;

export const machineInfo = (portkeyVersion: string): MachineInfo => ({
  date: new Date().toISOString(),
  cores: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  kernel: release(),
  memoryGiB: gibibytes(totalmem()),
  freeMemoryGiB: gibibytes(freemem()),
  loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  bulwarkRevision: gitRevision(),
  portkeyVersion,
});
