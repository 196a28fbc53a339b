import type { GatewayError } from '../core/errors/index.ts';
import type { ChatRequest, ChatResult, EmbeddingRequest, EmbeddingResult, JsonObject, StreamEvent } from '../core/model/index.ts';

export type WireFormatName = 'openai-chat' | 'anthropic-messages' | 'gemini-generate' | 'bedrock-converse';

/** What the URL says about a request, for formats that carry the model or streaming in the path. */
export interface DecodeRequestContext {
  model?: string;
  stream?: boolean;
}

/** Options for encoding a request to send upstream. */
export interface EncodeRequestContext {
  /** The provider's own model name (after alias resolution). */
  model: string;
}

/**
 * Turns a provider's streamed bytes into canonical events, incrementally. `push` may be called with
 * any split of the byte stream (mid-line, mid-UTF-8 character, mid-frame); `end` is called once when
 * the body ends and reports a stream cut off before its end as an `error` event
 * (`upstream_stream_interrupted`). A malformed chunk yields an `error` event (`upstream_invalid_response`),
 * never a throw.
 */
export interface StreamDecoder {
  push(chunk: Uint8Array): StreamEvent[];
  end(): StreamEvent[];
}

/**
 * Turns canonical events into the bytes of a format's stream. `encode` returns what to write for one
 * event (possibly nothing: an empty string); `end` what to write after the last event (e.g. OpenAI's
 * `data: [DONE]`). An `error` event becomes the format's in-stream error.
 */
export interface StreamEncoder {
  encode(event: StreamEvent): string | Uint8Array;
  end(): string | Uint8Array;
}

/** The error body of a format, with the HTTP status to send it with. */
export interface EncodedError {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

/**
 * A provider API's wire format, both ways. Used at the edge for clients (decodeRequest, encodeResult,
 * createStreamEncoder, encodeError) and by providers for upstream calls (encodeRequest, decodeResult,
 * createStreamDecoder, decodeError), and by the simulator, which plays the provider.
 *
 * Decoders validate: malformed input throws a GatewayError (`invalid_request` with `param` for a
 * caller's request; `upstream_invalid_response` for a provider's answer), never a TypeError.
 */
export interface WireFormat {
  readonly name: WireFormatName;
  decodeRequest(body: unknown, context?: DecodeRequestContext): ChatRequest;
  encodeRequest(request: ChatRequest, context: EncodeRequestContext): JsonObject;
  decodeResult(body: unknown): ChatResult;
  encodeResult(result: ChatResult): JsonObject;
  createStreamDecoder(): StreamDecoder;
  /** `request` is the caller's decoded request: encoders honour its stream options (e.g. OpenAI's `include_usage`). */
  createStreamEncoder(request: ChatRequest): StreamEncoder;
  /** Classifies a provider's error answer. `body` is the raw text (it may not be JSON). */
  decodeError(status: number, body: string, headers: Headers): GatewayError;
  encodeError(error: GatewayError): EncodedError;
}

/** The embeddings API of a provider, both ways (OpenAI's is also the client surface). */
export interface EmbeddingWireFormat {
  decodeRequest(body: unknown): EmbeddingRequest;
  encodeRequest(request: EmbeddingRequest, context: EncodeRequestContext): JsonObject;
  decodeResult(body: unknown): EmbeddingResult;
  encodeResult(result: EmbeddingResult, request: EmbeddingRequest): JsonObject;
}
