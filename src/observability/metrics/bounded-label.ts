/**
 * Keeps a label's cardinality bounded: the first `limit` distinct values are kept as they are, every
 * later one becomes `overflow`. O(1) per call; the set of kept values lives as long as the registry.
 */
export interface BoundedLabel {
  (value: string): string;
}

export const createBoundedLabel = (limit: number, overflow = 'other'): BoundedLabel => {
  const kept = new Set<string>();
  return (value) => {
    if (kept.has(value)) return value;
    if (kept.size >= limit) return overflow;
    kept.add(value);
    return value;
  };
};
