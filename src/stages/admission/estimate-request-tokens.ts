import type { ChatRequest, Message } from '../../core/model/index.ts';

/**
 * Roughly four characters per token for English text and code (OpenAI's rule of thumb); the real
 * tokenizer would be exact but costs tens of microseconds per kilobyte on every request, and the
 * estimate is settled against the provider's real usage afterwards anyway.
 */
const charactersPerToken = 4;
/** Framing tokens per message (role markers), as OpenAI's cookbook counts them. */
const tokensPerMessage = 4;
/** An image: OpenAI's low-detail cost, a floor for every provider. */
const tokensPerImage = 85;

const countMessageCharacters = (message: Message): { characters: number; images: number } => {
  let characters = 0;
  let images = 0;
  for (const part of message.content) {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        characters += part.text.length;
        break;
      case 'tool-call':
        characters += part.name.length + part.arguments.length;
        break;
      case 'tool-result':
        for (const inner of part.content) {
          if (inner.type === 'text') characters += inner.text.length;
          else images += 1;
        }
        break;
      case 'image':
        images += 1;
        break;
    }
  }
  return { characters, images };
};

/**
 * Input tokens of a request, estimated from its length without a tokenizer: cheap enough for the hot
 * path. Tool schemas count by their names and descriptions only (serialising every schema per request
 * would cost more than the estimate is worth).
 */
export const estimateInputTokens = (request: ChatRequest): number => {
  let characters = 0;
  let images = 0;
  for (const message of request.messages) {
    const counted = countMessageCharacters(message);
    characters += counted.characters;
    images += counted.images;
  }
  for (const tool of request.tools ?? []) characters += tool.name.length + (tool.description?.length ?? 0);
  return Math.ceil(characters / charactersPerToken) + request.messages.length * tokensPerMessage + images * tokensPerImage;
};

/** Input plus the output the caller allows (`max_tokens`), or `defaultOutputTokens` when it sets none. */
export const estimateRequestTokens = (request: ChatRequest, defaultOutputTokens: number): number =>
  estimateInputTokens(request) + (request.sampling.maxOutputTokens ?? defaultOutputTokens);

/** Tokens of `characters` generated characters, for a stream that ended without a usage event. */
export const estimateGeneratedTokens = (characters: number): number => Math.ceil(characters / charactersPerToken);
