import type { Random } from './deterministic-random.ts';

/**
 * How fast the simulated model answers: a wait before the first token, then a steady rate. The
 * defaults answer at once, so tests are fast; benchmarks set realistic values.
 */
export interface LatencySettings {
  /** Time to first token, milliseconds. */
  ttftMs: number;
  /** Output tokens per second after the first; Infinity sends everything at once. */
  tokensPerSecond: number;
  /** Up to this many milliseconds added to or taken from the time to first token. */
  jitterMs: number;
}

export const instantLatency: LatencySettings = { ttftMs: 0, tokensPerSecond: Number.POSITIVE_INFINITY, jitterMs: 0 };

/** The header a caller may send to set the latency of one request, e.g. `ttft=200,tps=50,jitter=20`. */
export const latencyHeader = 'x-sim-latency';

const headerKeys = { ttft: 'ttftMs', tps: 'tokensPerSecond', jitter: 'jitterMs' } as const;

/**
 * Parses `x-sim-latency`. Throws a RangeError naming the bad entry: the simulator answers it with a
 * 400, since a mistyped header silently ignored would make a benchmark measure the wrong thing.
 */
export const parseLatencyHeader = (value: string): Partial<LatencySettings> => {
  const settings: Partial<LatencySettings> = {};
  for (const entry of value.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const [key = '', rawNumber = '', ...rest] = trimmed.split('=').map((part) => part.trim());
    const field = Object.hasOwn(headerKeys, key) ? headerKeys[key as keyof typeof headerKeys] : undefined;
    const number = rawNumber === 'inf' || rawNumber === 'Infinity' ? Number.POSITIVE_INFINITY : Number(rawNumber);
    if (field === undefined || rest.length > 0 || rawNumber === '' || Number.isNaN(number) || number < 0) {
      throw new RangeError(`${latencyHeader}: cannot read "${trimmed}" (expected ttft=<ms>, tps=<tokens per second>, jitter=<ms>)`);
    }
    if (field === 'tokensPerSecond' && number === 0) throw new RangeError(`${latencyHeader}: tps must be above 0`);
    settings[field] = number;
  }
  return settings;
};

/** The settings for one request: the simulator's, overridden by the request's header. */
export const resolveLatency = (defaults: LatencySettings, header: string | undefined): LatencySettings =>
  header === undefined ? defaults : { ...defaults, ...parseLatencyHeader(header) };

/** The wait before the first token, with jitter drawn from the request's random source. */
export const timeToFirstToken = (settings: LatencySettings, random: Random): number =>
  Math.max(0, settings.ttftMs + (settings.jitterMs === 0 ? 0 : (random.next() * 2 - 1) * settings.jitterMs));

/** Milliseconds after the first token at which token number `index` (0-based) is due. */
export const tokenDueAt = (settings: LatencySettings, index: number): number =>
  settings.tokensPerSecond === Number.POSITIVE_INFINITY ? 0 : (index * 1000) / settings.tokensPerSecond;
