import { hash } from 'node:crypto';
import { GatewayError } from '../../core/errors/index.ts';
import type { Principal } from '../../core/pipeline/request-context.ts';
import type { ApiKeyStore, VirtualKey } from '../../stores/contracts.ts';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export interface Authenticator {
  /** The principal of the virtual key in `Authorization: Bearer` or `x-api-key`; throws 401 errors. */
  authenticate(headers: Headers): Promise<Principal>;
  /** Forgets cached lookups of a key, so a revocation takes effect at once in this process. */
  forget(keyId: string): void;
}

export interface AuthenticatorOptions {
  keys: ApiKeyStore;
  /**
   * How long a successful lookup is reused. Revocations made by another process take effect within
   * this time; revocations made through this process's admin API take effect at once.
   */
  cacheTtlMs?: number;
  now?: () => number;
}

/** The caller's key: OpenAI SDKs send `Authorization: Bearer`, Anthropic SDKs `x-api-key`. */
export const readPresentedKey = (headers: Headers): string | undefined => {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  const authorization = headers['authorization'];
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
};

const toPrincipal = (key: VirtualKey): Principal => {
  const principal: Principal = { keyId: key.id, keyName: key.name, models: key.models };
  if (key.team !== undefined) principal.team = key.team;
  if (key.limits !== undefined) principal.limits = key.limits;
  if (key.priority !== undefined) principal.priority = key.priority;
  return principal;
};

export const createAuthenticator = ({ keys, cacheTtlMs = 5_000, now = Date.now }: AuthenticatorOptions): Authenticator => {
  // Keyed by a hash of the secret so that a heap dump does not hold callers' keys.
  const cache = new Map<string, { key: VirtualKey; fetchedAt: number }>();
  const maximumCacheSize = 50_000;

  const lookup = async (secret: string): Promise<VirtualKey | undefined> => {
    // One-shot hashing: no Hash object per request.
    const cacheKey = hash('sha256', secret, 'base64');
    const cached = cache.get(cacheKey);
    const time = now();
    if (cached !== undefined && time - cached.fetchedAt < cacheTtlMs) return cached.key;
    const key = await keys.findBySecret(secret);
    if (key === undefined) {
      cache.delete(cacheKey);
      return undefined;
    }
    if (cache.size >= maximumCacheSize) cache.clear();
    cache.set(cacheKey, { key, fetchedAt: time });
    return key;
  };

  return {
    async authenticate(headers) {
      const secret = readPresentedKey(headers);
      if (secret === undefined) {
        throw new GatewayError('missing_api_key', 'Missing API key: send your Bulwark virtual key as "Authorization: Bearer <key>" or "x-api-key: <key>".');
      }
      const key = await lookup(secret);
      if (key === undefined) throw new GatewayError('invalid_api_key', 'Invalid API key.');
      if (key.revokedAt !== undefined) throw new GatewayError('invalid_api_key', 'This API key has been revoked.');
      if (key.expiresAt !== undefined && key.expiresAt <= now()) throw new GatewayError('invalid_api_key', 'This API key has expired.');
      return toPrincipal(key);
    },
    forget(keyId) {
      for (const [cacheKey, entry] of cache) if (entry.key.id === keyId) cache.delete(cacheKey);
    },
  };
};

/** Throws `model_not_allowed` unless the principal's key is scoped to the model. */
export const authorizeModel = (principal: Principal, model: string): void => {
  if (principal.models.includes('*') || principal.models.includes(model)) return;
  throw new GatewayError('model_not_allowed', `This API key may not use the model "${model}".`);
};
