import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../core/errors/index.ts';
import type { AssistantContentPart, ChatResult } from '../../core/model/index.ts';
import { parseUpstreamBody } from '../shared/parse-with-schema.ts';
import { decodeErrorObject } from './decode-error.ts';
import { decodeModelParts } from './decode-model-parts.ts';
import { decodeUsageMetadata } from './gemini-usage.ts';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts';
import { generateContentResponseSchema, type GeminiGenerateContentResponse } from './schemas.ts';

type Candidate = NonNullable<GeminiGenerateContentResponse['candidates']>[number];

/** Bulwark asks for one candidate; where there are several, the first (index 0) is the answer. */
export const firstCandidate = (response: GeminiGenerateContentResponse): Candidate | undefined =>
  response.candidates?.find((candidate) => (candidate.index ?? 0) === 0) ?? response.candidates?.[0];

/** Vertex sends createTime; the Gemini API does not, and then the answer is as old as its arrival. */
export const createdSeconds = (createTime: string | undefined): number => {
  const parsed = createTime === undefined ? Number.NaN : Date.parse(createTime);
  return Math.floor((Number.isNaN(parsed) ? Date.now() : parsed) / 1000);
};

/**
 * Parts the canonical model has no place for in an answer (executableCode, generated images) are
 * left out rather than failing an otherwise good answer.
 */
export const decodeCandidateParts = (candidate: Candidate | undefined, scope: string): AssistantContentPart[] =>
  decodeModelParts(candidate?.content?.parts ?? [], { scope, onUnsupportedPart: () => undefined });

/**
 * A GenerateContentResponse (https://ai.google.dev/api/generate-content#generatecontentresponse) as a
 * canonical ChatResult. A prompt blocked before generation has no candidates, only
 * promptFeedback.blockReason: that is a content-filter finish with no content.
 */
export const decodeResult = (body: unknown): ChatResult => {
  const response = parseUpstreamBody(generateContentResponseSchema, body, 'generateContent response');
  if (response.error !== undefined) throw decodeErrorObject(response.error.code ?? 500, response.error);
  const candidate = firstCandidate(response);
  const blockReason = response.promptFeedback?.blockReason;
  if (candidate === undefined && blockReason === undefined) {
    throw new GatewayError('upstream_invalid_response', 'The provider sent a generateContent response with no candidates');
  }
  const id = response.responseId ?? `gemini-${randomUUID()}`;
  const content = decodeCandidateParts(candidate, id);
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  // A complete (non-streamed) answer without a finishReason did finish: Gemini 1.5 sometimes omits it.
  const rawFinishReason = candidate === undefined ? blockReason : candidate.finishReason;
  const result: ChatResult = {
    id,
    model: response.modelVersion ?? '',
    created: createdSeconds(response.createTime),
    content,
    finishReason:
      candidate === undefined ? 'content-filter' : mapGeminiFinishReason(rawFinishReason ?? 'STOP', hasToolCalls),
    usage: decodeUsageMetadata(response.usageMetadata),
  };
  if (rawFinishReason !== undefined) result.rawFinishReason = rawFinishReason;
  return result;
};
