import type { JsonObject } from '../core/model/index.ts';

/**
 * Without `stream_options.include_usage` OpenAI (and Azure OpenAI) send no token counts in a stream,
 * and nothing could be counted or billed. Other stream options the codec set are kept.
 * https://platform.openai.com/docs/api-reference/chat/create#chat-create-stream_options
 */
export const includeStreamUsage = (body: JsonObject): JsonObject => {
  const existing = body['stream_options'];
  const options = typeof existing === 'object' && existing !== null && !Array.isArray(existing) ? existing : {};
  return { ...body, stream_options: { ...options, include_usage: true } };
};
