import { GatewayError } from '../core/errors/index.ts';
import type { Secret } from '../core/secret.ts';

/** An upstream request as it is about to be sent, for an authentication step to sign or decorate. */
export interface UpstreamRequest {
  method: 'POST';
  /** `https://host[:port]`. */
  origin: string;
  /** Path and query, already percent-encoded as they go on the wire. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Returns the headers that authenticate one request. Async because signing (AWS SigV4) hashes the
 * body; a provider with a missing credential throws here, before anything touches the network.
 */
export type Authenticate = (request: UpstreamRequest) => Promise<Record<string, string>>;

/** For providers that need no credential (a local Ollama or vLLM). */
export const noAuthentication: Authenticate = async () => ({});

/** Sends the credential in one header, e.g. `authorization: Bearer <key>` or `x-api-key: <key>`. */
export const headerAuthentication = (header: string, secret: Secret, prefix = ''): Authenticate => {
  const name = header.toLowerCase();
  return async () => ({ [name]: `${prefix}${secret.reveal()}` });
};

/**
 * Refuses every call of a provider whose credential is not configured. The provider still starts (the
 * shipped config leaves keys empty), and the error says which config field to set.
 */
export const missingCredential = (provider: string, field: string): Authenticate => async () => {
  throw new GatewayError(
    'upstream_authentication_failed',
    `Provider "${provider}" has no credential: set providers.${provider}.${field} in the config`,
  );
};

/** Picks the header authentication when the secret is set, and `missingCredential` otherwise. */
export const requiredHeaderAuthentication = (
  provider: string,
  field: string,
  secret: Secret | undefined,
  header: string,
  prefix = '',
): Authenticate => (secret === undefined ? missingCredential(provider, field) : headerAuthentication(header, secret, prefix));
