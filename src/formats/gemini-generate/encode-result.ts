import type { ChatResult, JsonObject } from '../../core/model/index.ts';
import { encodeModelParts } from './encode-model-parts.ts';
import { encodeUsageMetadata } from './gemini-usage.ts';
import { toGeminiFinishReason } from './map-gemini-finish-reason.ts';

/**
 * A canonical ChatResult as a GenerateContentResponse
 * (https://ai.google.dev/api/generate-content#generatecontentresponse), for Gemini-format callers.
 */
export const encodeResult = (result: ChatResult): JsonObject => {
  const hasToolCalls = result.content.some((part) => part.type === 'tool-call');
  const parts = encodeModelParts(result.content);
  const response: JsonObject = {
    candidates: [
      {
        // Gemini sends a blocked or empty candidate with no parts at all.
        content: parts.length === 0 ? { role: 'model' } : { parts, role: 'model' },
        finishReason: toGeminiFinishReason(result.finishReason, result.rawFinishReason, hasToolCalls),
        index: 0,
      },
    ],
    usageMetadata: encodeUsageMetadata(result.usage),
  };
  if (result.model !== '') response['modelVersion'] = result.model;
  // createTime is Vertex's; Gemini's SDKs know it, and it carries `created` to the caller.
  response['createTime'] = new Date(result.created * 1000).toISOString();
  response['responseId'] = result.id;
  return response;
};
