import { GatewayError } from '../core/errors/index.ts';
import type { ChatResult, EmbeddingResult, JsonObject, StreamEvent } from '../core/model/index.ts';
import type { ProviderType } from './provider-config-schema.ts';
import type { Secret } from '../core/secret.ts';
import type { EmbeddingWireFormat, WireFormat } from '../formats/wire-format.ts';
import type { Authenticate } from './http-authentication.ts';
import { openEventStream } from './open-event-stream.ts';
import type { EmbeddingCall, ModelCall, Provider } from './provider.ts';
import { createUpstreamTransport } from './upstream-transport.ts';

/** Where a provider's API lives, as paths (with query) on its origin, per upstream model. */
export interface HttpEndpoints {
  chat(model: string): string;
  stream(model: string): string;
}

export interface HttpEmbeddings {
  format: EmbeddingWireFormat;
  path(model: string): string;
}

/** Everything that differs between HTTP providers; the transport, streaming and errors are shared. */
export interface HttpProviderDescription {
  name: string;
  type: ProviderType;
  format: WireFormat;
  /** `https://host[:port]`: one connection pool serves it. */
  origin: string;
  endpoints: HttpEndpoints;
  /** Absent where the provider has no embeddings API: `embed` then throws `unsupported_capability`. */
  embeddings?: HttpEmbeddings;
  authenticate: Authenticate;
  /** Sent with every request (API version, organisation, the config's extra headers). */
  headers?: Record<string, string>;
  /** Adds what the API needs to a streamed request body (OpenAI's `stream_options`). */
  prepareStreamBody?(body: JsonObject): JsonObject;
  /** `Accept` of a streamed call. Default `text/event-stream`. */
  streamAccept?: string;
  /** Keep-alive connections to the origin. */
  connections: number;
  /** Time allowed to connect, ms (undici's default is 10 s). */
  connectTimeoutMs?: number;
  /** Credentials to scrub from upstream error bodies before they are classified and quoted. */
  secrets?: ReadonlyArray<Secret | undefined>;
  /** undici's header and body timeouts in milliseconds: backstops behind the resilience layer's timeout. */
  timeouts?: { headersMs?: number; bodyMs?: number };
}

/** Builds a Provider from a description: one connection pool, JSON bodies, the codec for everything else. */
export const defineHttpProvider = (description: HttpProviderDescription): Provider => {
  const { name, format, endpoints } = description;
  const transport = createUpstreamTransport({
    name,
    origin: description.origin,
    connections: description.connections,
    ...(description.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: description.connectTimeoutMs }),
    authenticate: description.authenticate,
    headers: description.headers ?? {},
    decodeError: format.decodeError,
    secrets: description.secrets ?? [],
    timeouts: description.timeouts ?? {},
  });
  const streamAccept = description.streamAccept ?? 'text/event-stream';

  return {
    name,
    type: description.type,

    async complete(call: ModelCall): Promise<ChatResult> {
      const payload = format.encodeRequest({ ...call.request, stream: false }, { model: call.model });
      const response = await transport.post(endpoints.chat(call.model), payload, call, 'application/json');
      const result = format.decodeResult(await transport.readJson(response, call.signal));
      return result.model === '' ? { ...result, model: call.model } : result;
    },

    async stream(call: ModelCall): Promise<AsyncIterable<StreamEvent>> {
      const encoded = format.encodeRequest({ ...call.request, stream: true }, { model: call.model });
      const payload = description.prepareStreamBody?.(encoded) ?? encoded;
      const response = await transport.post(endpoints.stream(call.model), payload, call, streamAccept);
      return openEventStream({
        body: response.body,
        decoder: format.createStreamDecoder(),
        signal: call.signal,
        provider: name,
        model: call.model,
      });
    },

    async embed(call: EmbeddingCall): Promise<EmbeddingResult> {
      const embeddings = description.embeddings;
      if (embeddings === undefined) {
        throw new GatewayError('unsupported_capability', `Provider "${name}" (${description.type}) has no embeddings API`);
      }
      const payload = embeddings.format.encodeRequest(call.request, { model: call.model });
      const response = await transport.post(embeddings.path(call.model), payload, call, 'application/json');
      const result = embeddings.format.decodeResult(await transport.readJson(response, call.signal));
      return result.model === '' ? { ...result, model: call.model } : result;
    },

    close: () => transport.close(),
  };
};
