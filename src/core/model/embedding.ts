/** An embeddings request in canonical form (the client surface is OpenAI's `/v1/embeddings`). */
export interface EmbeddingRequest {
  model: string;
  /** Texts to embed, in order. Token-array input is decoded to text by the codec where possible. */
  input: string[];
  dimensions?: number;
  /** How the caller wants vectors back; providers always give floats to Bulwark. */
  encodingFormat: 'float' | 'base64';
  user?: string;
}

export interface EmbeddingResult {
  model: string;
  /** One vector per input, in input order. */
  embeddings: number[][];
  usage: { inputTokens: number };
}
