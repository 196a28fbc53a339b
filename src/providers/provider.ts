import type { ChatRequest, ChatResult, EmbeddingRequest, EmbeddingResult, StreamEvent } from '../core/model/index.ts';
import type { ProviderType } from './provider-config-schema.ts';

/** One call to one provider for one attempt. */
export interface ModelCall {
  /** The canonical request. Its `model` is the caller's alias; `model` below is what to send. */
  request: ChatRequest;
  /** The provider's own model name (Azure: deployment; Bedrock: model id or ARN). */
  model: string;
  /** Aborted when the caller disconnects or a timeout fires: the upstream request is cancelled. */
  signal: AbortSignal;
  requestId: string;
  /** Headers to propagate upstream (W3C `traceparent`), never credentials of the caller. */
  headers?: Record<string, string>;
  /** Told the status and headers of every upstream answer, errors included, e.g. to learn rate limits. */
  onResponse?: (status: number, headers: Headers) => void;
}

export interface EmbeddingCall {
  request: EmbeddingRequest;
  model: string;
  signal: AbortSignal;
  requestId: string;
  headers?: Record<string, string>;
}

/**
 * A configured provider. Failures are thrown as GatewayErrors classified by the provider's codec, so
 * the resilience layer decides on retry and fallback from the error code alone.
 */
export interface Provider {
  /** The name it has in the config's `providers` map. */
  readonly name: string;
  readonly type: ProviderType;
  complete(call: ModelCall): Promise<ChatResult>;
  /**
   * Starts a streamed call and resolves once the first event after `stream-start` has arrived (or the
   * stream has ended), so a failed start — an HTTP error or an in-stream error before any content — is
   * thrown here and can still fall back. After that, failures arrive as an `error` event in the
   * iterable, which always ends with `finish` or `error`. Breaking out of the iteration cancels the
   * upstream request.
   */
  stream(call: ModelCall): Promise<AsyncIterable<StreamEvent>>;
  /** Throws `unsupported_capability` where the provider has no embeddings API. */
  embed(call: EmbeddingCall): Promise<EmbeddingResult>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}
