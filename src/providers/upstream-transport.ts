import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { GatewayError } from '../core/errors/index.ts';
import type { JsonObject } from '../core/model/index.ts';
import type { Secret } from '../core/secret.ts';
import type { WireFormat } from '../formats/wire-format.ts';
import type { Authenticate } from './http-authentication.ts';
import { mapTransportError } from './map-transport-error.ts';
import { readCappedText } from './read-capped-text.ts';
import { createSecretRedactor } from './redact-secrets.ts';
import { toFetchHeaders } from './to-fetch-headers.ts';
import { userAgent } from './user-agent.ts';

export interface UpstreamTransportOptions {
  /** The provider's name, for error messages. */
  name: string;
  /** `https://host[:port]`: one connection pool serves it. */
  origin: string;
  connections: number;
  authenticate: Authenticate;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Classifies a non-2xx answer. */
  decodeError: WireFormat['decodeError'];
  /** Credentials to scrub from upstream error bodies before they are classified and quoted. */
  secrets?: ReadonlyArray<Secret | undefined>;
  timeouts?: { headersMs?: number; bodyMs?: number };
  /** Time allowed to connect, ms. */
  connectTimeoutMs?: number;
}

/** What one call hands the transport: its abort signal and the headers to propagate (`traceparent`). */
export interface UpstreamCall {
  signal: AbortSignal;
  headers?: Record<string, string>;
  /** Told the status and headers of every upstream answer, errors included (rate-limit learning). */
  onResponse?: ((status: number, headers: Headers) => void) | undefined;
}

export interface UpstreamTransport {
  /** POSTs a JSON body; resolves with a 2xx response whose body is unread, and throws anything else as a GatewayError. */
  post(path: string, payload: JsonObject, call: UpstreamCall, accept: string): Promise<Dispatcher.ResponseData>;
  /** Reads a 2xx body as JSON: `upstream_invalid_response` when it is not. */
  readJson(response: Dispatcher.ResponseData, signal: AbortSignal): Promise<unknown>;
  close(): Promise<void>;
}

/** Error bodies are only classified and quoted: 64 KiB is plenty. */
const errorBodyLimit = 64 * 1024;
/**
 * Backstops only; the resilience layer's timeout (through the call's signal) normally fires first.
 * Generous: a long reasoning answer may take minutes to its first byte.
 */
const defaultTimeoutMs = 600_000;

const lowerCaseKeys = (headers: Record<string, string> | undefined): Record<string, string> => {
  const result: Record<string, string> = {};
  if (headers !== undefined) for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
};

/** One undici pool per provider, with keep-alive connections and undici's failures mapped to GatewayErrors. */
export const createUpstreamTransport = (options: UpstreamTransportOptions): UpstreamTransport => {
  const { name } = options;
  const pool = new Pool(options.origin, {
    connections: options.connections,
    // One request per connection at a time: a slow answer must not hold up the ones queued behind it.
    pipelining: 1,
    ...(options.connectTimeoutMs === undefined ? {} : { connect: { timeout: options.connectTimeoutMs } }),
    headersTimeout: options.timeouts?.headersMs ?? defaultTimeoutMs,
    bodyTimeout: options.timeouts?.bodyMs ?? defaultTimeoutMs,
  });
  const staticHeaders = { 'user-agent': userAgent, 'content-type': 'application/json', ...lowerCaseKeys(options.headers) };
  const redact = createSecretRedactor(options.secrets ?? []);

  const upstreamError = async (response: Dispatcher.ResponseData, signal: AbortSignal): Promise<GatewayError> => {
    let text = '';
    try {
      text = await readCappedText(response.body, errorBodyLimit);
    } catch (error) {
      // The status alone still classifies the failure, unless the caller is gone.
      if (signal.aborted) return mapTransportError(error, signal, name);
    }
    return options.decodeError(response.statusCode, redact(text), toFetchHeaders(response.headers));
  };

  return {
    async post(path, payload, call, accept) {
      const body = JSON.stringify(payload);
      // Propagated headers first, so they can never replace ours or the credentials.
      const headers = { ...lowerCaseKeys(call.headers), ...staticHeaders, accept };
      const credentials = await options.authenticate({ method: 'POST', origin: options.origin, path, headers, body });
      let response: Dispatcher.ResponseData;
      try {
        response = await pool.request({ path, method: 'POST', headers: { ...headers, ...credentials }, body, signal: call.signal });
      } catch (error) {
        throw mapTransportError(error, call.signal, name);
      }
      call.onResponse?.(response.statusCode, toFetchHeaders(response.headers));
      if (response.statusCode >= 200 && response.statusCode < 300) return response;
      throw await upstreamError(response, call.signal);
    },

    async readJson(response, signal) {
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
    },

    async close() {
      await pool.close();
    },
  };
};
