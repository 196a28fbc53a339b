import { createRequire } from 'node:module';
import type { EmbeddingRequest, EmbeddingResult, JsonObject } from '../../core/model/index.ts';
import { parseRequestBody, parseUpstreamBody } from '../shared/parse-with-schema.ts';
import type { DecodeRequestContext, EmbeddingWireFormat, EncodeRequestContext } from '../wire-format.ts';
import { invalidRequest } from './invalid-request.ts';
import { batchEmbedContentsRequestSchema, batchEmbedContentsResponseSchema } from './schemas.ts';

/**
 * Gemini's `models/{model}:batchEmbedContents` (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents):
 * `{requests: [{model: "models/x", content: {parts: [{text}]}, outputDimensionality}]}` in,
 * `{embeddings: [{values}]}` out, one embedding per request, in order.
 */

type O200k = typeof import('gpt-tokenizer/encoding/o200k_base');

/** The o200k tables (~70 MiB) load on the first Gemini embeddings answer, not when the gateway starts. */
const require = createRequire(import.meta.url);
let o200k: O200k | undefined;
const countTokens = (text: string): number => {
  o200k ??= require('gpt-tokenizer/encoding/o200k_base') as O200k;
  return o200k.countTokens(text);
};

const stripResourcePrefix = (model: string): string => model.replace(/^models\//, '');

const decodeRequest = (body: unknown, context: DecodeRequestContext = {}): EmbeddingRequest => {
  const { requests } = parseRequestBody(batchEmbedContentsRequestSchema, body);
  const model = context.model ?? requests[0]?.model;
  if (model === undefined || model === '') throw invalidRequest('requests[0].model', 'required');
  const name = stripResourcePrefix(model);
  requests.forEach((item, index) => {
    // Gemini: "The model in each of these requests must match the model specified BatchEmbedContentsRequest.model."
    if (item.model !== undefined && stripResourcePrefix(item.model) !== name) {
      throw invalidRequest(`requests[${index}].model`, `must be models/${name}, like the batch`);
    }
  });
  const request: EmbeddingRequest = {
    model: name,
    // A Content's parts are embedded together, as one text.
    input: requests.map((item) => item.content.parts.map((part) => part.text).join('')),
    encodingFormat: 'float',
  };
  const dimensions = requests[0]?.outputDimensionality;
  if (dimensions !== undefined) request.dimensions = dimensions;
  return request;
};

const encodeRequest = (request: EmbeddingRequest, context: EncodeRequestContext): JsonObject => {
  const model = `models/${stripResourcePrefix(context.model)}`;
  return {
    requests: request.input.map((text) => {
      const item: JsonObject = { model, content: { parts: [{ text }] } };
      if (request.dimensions !== undefined) item['outputDimensionality'] = request.dimensions;
      return item;
    }),
  };
};

/**
 * Gemini reports no token usage for embeddings, so input tokens are an estimate: the request's texts
 * counted with gpt-tokenizer's o200k_base encoding, not Gemini's own tokenizer. The contract's
 * `decodeResult(body)` does not see the request; a caller that passes it gets the estimate, others 0.
 */
const decodeResult = (body: unknown, request?: EmbeddingRequest): EmbeddingResult => {
  const { embeddings } = parseUpstreamBody(batchEmbedContentsResponseSchema, body, 'batchEmbedContents response');
  const inputTokens = request?.input.reduce((sum, text) => sum + countTokens(text), 0) ?? 0;
  return { model: request?.model ?? '', embeddings: embeddings.map((embedding) => embedding.values), usage: { inputTokens } };
};

const encodeResult = (result: EmbeddingResult, _request: EmbeddingRequest): JsonObject => ({
  embeddings: result.embeddings.map((values) => ({ values })),
});

export const geminiEmbeddingsFormat = {
  decodeRequest,
  encodeRequest,
  decodeResult,
  encodeResult,
} satisfies EmbeddingWireFormat;
