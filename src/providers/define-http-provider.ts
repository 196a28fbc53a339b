import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../core/errors/index.ts';
import type { ChatRequest, ChatResult, EmbeddingResult, JsonObject, StreamEvent } from '../core/model/index.ts';
import type { ProviderType } from '../config/config-schema.ts';
import type { Secret } from '../config/secret.ts';
import type { EmbeddingWireFormat, WireFormat } from '../formats/wire-format.ts';
import type { Authenticate } from './http-authentication.ts';
import { mapTransportError } from './map-transport-error.ts';
import { openEventStream } from './open-event-stream.ts';
import type { EmbeddingCall, ModelCall, Provider } from './provider.ts';
import { readCappedText } from './read-capped-text.ts';
import { createSecretRedactor } from './redact-secrets.ts';
import { toFetchHeaders } from './to-fetch-headers.ts';
import { userAgent } from './user-agent.ts';

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
  /** Headers a request needs because of what its encoded body asks for (Anthropic's beta flags). */
  requestHeaders?(body: JsonObject, request: ChatRequest): Record<string, string> | undefined;
  /** Adds what the API needs to a streamed request body (OpenAI's `stream_options`). */
  prepareStreamBody?(body: JsonObject): JsonObject;
  /** `Accept` of a streamed call. Default `text/event-stream`. */
  streamAccept?: string;
  /** Keep-alive connections to the origin. */
  connections: number;
  /** Credentials to scrub from upstream error bodies before they are classified and quoted. */
  secrets?: ReadonlyArray<Secret | undefined>;
  /**
   * Backstops in milliseconds; the resilience layer's timeout (through the call's signal) normally
   * fires first. Generous by default: a long reasoning answer may take minutes to its first byte.
   */
  timeouts?: { headersMs?: number; bodyMs?: number };
}

/** Error bodies are only classified and quoted: 64 KiB is plenty. */
const errorBodyLimit = 64 * 1024;
const defaultTimeoutMs = 600_000;

const lowerCaseKeys = (headers: Record<string, string> | undefined): Record<string, string> => {
  const result: Record<string, string> = {};
  if (headers !== undefined) for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
};

/** Builds a Provider from a description: one undici pool, JSON bodies, the codec for everything else. */
export const defineHttpProvider = (description: HttpProviderDescription): Provider => {
  const { name, format, endpoints } = description;
  const pool = new Pool(description.origin, {
    connections: description.connections,
    // One request per connection at a time: a slow answer must not hold up the ones queued behind it.
    pipelining: 1,
    headersTimeout: description.timeouts?.headersMs ?? defaultTimeoutMs,
    bodyTimeout: description.timeouts?.bodyMs ?? defaultTimeoutMs,
  });
  const staticHeaders = {
    'user-agent': userAgent,
    'content-type': 'application/json',
    ...lowerCaseKeys(description.headers),
  };
  const redact = createSecretRedactor(description.secrets ?? []);
  const streamAccept = description.streamAccept ?? 'text/event-stream';

  const upstreamError = async (response: Dispatcher.ResponseData, signal: AbortSignal): Promise<GatewayError> => {
    let text = '';
    try {
      text = await readCappedText(response.body, errorBodyLimit);
    } catch (error) {
      // The status alone still classifies the failure, unless the caller is gone.
      if (signal.aborted) return mapTransportError(error, signal, name);
    }
    return format.decodeError(response.statusCode, redact(text), toFetchHeaders(response.headers));
  };

  const send = async (
    path: string,
    payload: JsonObject,
    call: ModelCall | EmbeddingCall,
    accept: string,
    extraHeaders?: Record<string, string>,
  ): Promise<Dispatcher.ResponseData> => {
    const body = JSON.stringify(payload);
    const headers = { ...lowerCaseKeys(call.headers), ...staticHeaders, ...lowerCaseKeys(extraHeaders), accept };
    const credentials = await description.authenticate({ method: 'POST', origin: description.origin, path, headers, body });
    let response: Dispatcher.ResponseData;
    try {
      response = await pool.request({ path, method: 'POST', headers: { ...headers, ...credentials }, body, signal: call.signal });
    } catch (error) {
      throw mapTransportError(error, call.signal, name);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    throw await upstreamError(response, call.signal);
  };

  const readJson = async (response: Dispatcher.ResponseData, signal: AbortSignal): Promise<unknown> => {
    let text: string;
    try {
      text = await response.body.text();
    } catch (error) {
      throw mapTransportError(error, signal, name);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new GatewayError('upstream_invalid_response', `Provider "${name}" answered with a body that is not JSON`);
    }
  };

  return {
    name,
    type: description.type,

    async complete(call: ModelCall): Promise<ChatResult> {
      const payload = format.encodeRequest({ ...call.request, stream: false }, { model: call.model });
      const headers = description.requestHeaders?.(payload, call.request);
      const response = await send(endpoints.chat(call.model), payload, call, 'application/json', headers);
      const result = format.decodeResult(await readJson(response, call.signal));
      return result.model === '' ? { ...result, model: call.model } : result;
    },

    async stream(call: ModelCall): Promise<AsyncIterable<StreamEvent>> {
      const encoded = format.encodeRequest({ ...call.request, stream: true }, { model: call.model });
      const payload = description.prepareStreamBody?.(encoded) ?? encoded;
      const headers = description.requestHeaders?.(payload, call.request);
      const response = await send(endpoints.stream(call.model), payload, call, streamAccept, headers);
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
      const response = await send(embeddings.path(call.model), payload, call, 'application/json');
      const result = embeddings.format.decodeResult(await readJson(response, call.signal));
      return result.model === '' ? { ...result, model: call.model } : result;
    },

    async close(): Promise<void> {
      await pool.close();
    },
  };
};
