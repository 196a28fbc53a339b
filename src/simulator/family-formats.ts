import { anthropicMessagesFormat } from '../formats/anthropic-messages/index.ts';
import { bedrockConverseFormat } from '../formats/bedrock-converse/index.ts';
import { geminiEmbeddingsFormat, geminiGenerateFormat } from '../formats/gemini-generate/index.ts';
import { openaiChatFormat } from '../formats/openai-chat/index.ts';
import { openaiEmbeddingsFormat } from '../formats/openai-embeddings/index.ts';
import type { EmbeddingWireFormat, WireFormat } from '../formats/wire-format.ts';
import type { EmbeddingsFamily } from './match-route.ts';
import type { ProviderFamily } from './provider-family.ts';

/** The codec that speaks each family's chat API: the simulator decodes with it and answers with it. */
export const chatFormats: Record<ProviderFamily, WireFormat> = {
  openai: openaiChatFormat,
  azure: openaiChatFormat,
  anthropic: anthropicMessagesFormat,
  gemini: geminiGenerateFormat,
  bedrock: bedrockConverseFormat,
};

export const embeddingFormats: Record<EmbeddingsFamily, EmbeddingWireFormat> = {
  openai: openaiEmbeddingsFormat,
  azure: openaiEmbeddingsFormat,
  gemini: geminiEmbeddingsFormat,
};

/** Content type of each family's streamed answer. */
export const streamContentTypes: Record<ProviderFamily, string> = {
  openai: 'text/event-stream; charset=utf-8',
  azure: 'text/event-stream; charset=utf-8',
  anthropic: 'text/event-stream; charset=utf-8',
  gemini: 'text/event-stream',
  bedrock: 'application/vnd.amazon.eventstream',
};
