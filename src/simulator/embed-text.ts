import { hashString } from './deterministic-random.ts';

export const defaultEmbeddingDimensions = 1536;

const wordPattern = /[\p{L}\p{N}]+/gu;

const addFeature = (vector: Float64Array, feature: string, weight: number): void => {
  // Two hashes per feature spread it over two dimensions, which keeps collisions from dominating.
  for (const seed of [0x811c9dc5, 0x9747b28c]) {
    const hash = hashString(feature, seed);
    vector[hash % vector.length] = (vector[hash % vector.length] ?? 0) + ((hash & 0x80000000) === 0 ? weight : -weight);
  }
};

/**
 * A deterministic unit vector for `text` by feature hashing its words and word pairs: texts that share
 * words point the same way, so cosine similarity behaves like a (very small) real embedding model's.
 */
export const embedText = (text: string, dimensions: number = defaultEmbeddingDimensions): number[] => {
  const vector = new Float64Array(dimensions);
  const words = text.toLowerCase().match(wordPattern) ?? [];
  words.forEach((word, index) => {
    addFeature(vector, word, 1);
    const next = words[index + 1];
    if (next !== undefined) addFeature(vector, `${word} ${next}`, 0.5);
  });
  let squares = 0;
  for (const value of vector) squares += value * value;
  let norm = Math.sqrt(squares);
  if (norm === 0) {
    // Empty text still gets a unit vector: real APIs never return zero vectors.
    vector[0] = 1;
    norm = 1;
  }
  return Array.from(vector, (value) => value / norm);
};

export const cosineSimilarity = (left: readonly number[], right: readonly number[]): number => {
  let dot = 0;
  for (let index = 0; index < left.length; index++) dot += (left[index] ?? 0) * (right[index] ?? 0);
  return dot;
};
