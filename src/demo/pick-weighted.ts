import type { Random } from '../simulator/deterministic-random.ts';

/** One of `entries`, each chosen with a probability proportional to its weight. */
export const pickWeighted = <Item>(random: Random, entries: readonly (readonly [Item, number])[]): Item => {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (!(total > 0)) throw new RangeError('pickWeighted needs a positive total weight');
  let remaining = random.next() * total;
  for (const [item, weight] of entries) {
    remaining -= weight;
    if (remaining < 0) return item;
  }
  // Rounding can leave a sliver at the end: it belongs to the last entry with any weight.
  return entries.findLast(([, weight]) => weight > 0)?.[0] as Item;
};
