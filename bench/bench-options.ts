import { parseArgs } from 'node:util';
import type { Budget } from './load.ts';
import type { Mode, TargetName } from './targets.ts';

export const benchUsage = `Usage: npm run bench -- [options]

Compares direct calls to the provider simulator with calls through Bulwark and through Portkey.

Options:
  --requests <n>         requests per target per round (default 300)
  --duration <seconds>   instead of --requests: seconds per target per round
  --rounds <n>           rounds; each visits every target once (default 5)
  --warmup <n>           warm-up requests per target before each phase (default 100)
  --concurrency <list>   comma-separated concurrency levels (default 1,16,64)
  --modes <list>         json, stream or both (default json,stream)
  --targets <list>       direct, bulwark, bulwark-no-metrics, portkey (default direct,bulwark,portkey;
                         direct is always included, and bulwark too with bulwark-no-metrics, a second
                         Bulwark with metrics.enabled false that shows what metrics cost)
  --workers <n>          run Bulwark with n worker processes (default 1)
  --soak <minutes>       instead of the comparison: steady load through Bulwark, sampling its memory
  --soak-concurrency <n> concurrent callers during --soak (default 16)
  --out <path.md>        write the report there, and the JSON beside it as <path>.json
                         (default bench/results/latest.md, or soak-latest.md for --soak)
  --help                 show this help`;

/** `out`: where the markdown report goes (the JSON beside it); absent means the default under bench/results/. */
export type BenchOptions =
  | { kind: 'compare'; budget: Budget; rounds: number; warmupRequests: number; concurrencies: number[]; modes: Mode[]; targets: TargetName[]; workers: number; out?: string }
  | { kind: 'soak'; minutes: number; concurrency: number; workers: number; warmupRequests: number; out?: string }
  | { kind: 'help' };

/** Upper bound on requests in a timed round, so a target that fails instantly cannot spin for ever. */
const timedRoundCap = 1_000_000;

/** A positive number (integer unless told otherwise) from a command-line value, or the fallback when absent. */
export const positive = (name: string, value: string | undefined, fallback: number, integer = true): number => {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new RangeError(`--${name} takes a positive ${integer ? 'integer' : 'number'}, not "${value}"`);
  }
  return number;
};

const list = <Item extends string>(name: string, value: string | undefined, allowed: readonly Item[], fallback: Item[]): Item[] => {
  if (value === undefined) return fallback;
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const item of items) if (!allowed.includes(item as Item)) throw new RangeError(`--${name}: unknown "${item}" (known: ${allowed.join(', ')})`);
  if (items.length === 0) throw new RangeError(`--${name} needs at least one of ${allowed.join(', ')}`);
  return [...new Set(items as Item[])];
};

/** Every target in its canonical order (the order of the tables); the default leaves out `bulwark-no-metrics`. */
export const allTargets: readonly TargetName[] = ['direct', 'bulwark', 'bulwark-no-metrics', 'portkey'];
const defaultTargets: TargetName[] = ['direct', 'bulwark', 'portkey'];

/**
 * Direct is always measured: every gateway is compared with it. `bulwark-no-metrics` brings `bulwark`
 * along: it exists only to be compared with it.
 */
const withBaselines = (chosen: readonly TargetName[]): TargetName[] =>
  allTargets.filter((target) => target === 'direct' || chosen.includes(target) || (target === 'bulwark' && chosen.includes('bulwark-no-metrics')));

const outPath = (value: string | undefined): { out?: string } => {
  if (value === undefined) return {};
  if (!/\S\.md$/.test(value.trim())) throw new RangeError(`--out takes a path ending in .md (the JSON goes beside it), not "${value}"`);
  return { out: value.trim() };
};

/** Parses `npm run bench` arguments; throws a RangeError naming the bad argument. */
export const parseBenchOptions = (argv: string[]): BenchOptions => {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      requests: { type: 'string' }, duration: { type: 'string' }, rounds: { type: 'string' }, warmup: { type: 'string' },
      concurrency: { type: 'string' }, modes: { type: 'string' }, targets: { type: 'string' }, workers: { type: 'string' },
      soak: { type: 'string' }, 'soak-concurrency': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help === true) return { kind: 'help' };
  const workers = positive('workers', values.workers, 1);
  const warmupRequests = values.warmup === '0' ? 0 : positive('warmup', values.warmup, 100);
  const out = outPath(values.out);
  if (values.soak !== undefined) {
    return { kind: 'soak', minutes: positive('soak', values.soak, 1, false), concurrency: positive('soak-concurrency', values['soak-concurrency'], 16), workers, warmupRequests, ...out };
  }
  if (values.duration !== undefined && values.requests !== undefined) throw new RangeError('--duration and --requests exclude each other');
  const budget: Budget = values.duration === undefined
    ? { kind: 'count', requests: positive('requests', values.requests, 300) }
    : { kind: 'time', milliseconds: positive('duration', values.duration, 1, false) * 1000, maxRequests: timedRoundCap };
  const concurrencies = (values.concurrency ?? '1,16,64').split(',').map((item) => positive('concurrency', item.trim(), 1));
  const targets = withBaselines(list<TargetName>('targets', values.targets, allTargets, defaultTargets));
  return {
    kind: 'compare',
    budget,
    rounds: positive('rounds', values.rounds, 5),
    warmupRequests,
    concurrencies: [...new Set(concurrencies)],
    modes: list<Mode>('modes', values.modes, ['json', 'stream'], ['json', 'stream']),
    targets,
    workers,
    ...out,
  };
};
