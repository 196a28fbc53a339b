import type { EmbeddingWireFormat } from '../wire-format.ts';
import { decodeRequest } from './decode-request.ts';
import { decodeResult } from './decode-result.ts';
import { encodeRequest } from './encode-request.ts';
import { encodeResult } from './encode-result.ts';

/**
 * OpenAI embeddings (`POST /v1/embeddings`), both ways: Bulwark's embeddings client surface and the
 * upstream format of OpenAI and OpenAI-compatible servers.
 * https://platform.openai.com/docs/api-reference/embeddings
 */
export const openaiEmbeddingsFormat: EmbeddingWireFormat = { decodeRequest, encodeRequest, decodeResult, encodeResult };
