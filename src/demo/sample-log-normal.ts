import type { Random } from '../simulator/deterministic-random.ts';

/** A standard normal draw (Box–Muller), from the seeded source so that a seed replays the same values. */
export const sampleNormal = (random: Random): number => {
  const u = 1 - random.next();
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
};

/**
 * A log-normal draw with the given median: most values near it and a long right tail, the shape of
 * prompt sizes and latencies. `sigma` is the spread of the logarithm (0.3 is tight, 1 is wide).
 */
export const sampleLogNormal = (random: Random, median: number, sigma: number): number => median * Math.exp(sigma * sampleNormal(random));
