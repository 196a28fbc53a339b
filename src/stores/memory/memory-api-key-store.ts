import type { ApiKeyStore, CreateKeyInput, VirtualKey } from '../contracts.ts';
import {
  buildVirtualKey,
  createApiKeySecret,
  hashApiKeySecret,
  looksLikeApiKeySecret,
  parseCreateKeyInput,
} from '../api-key-secret.ts';

export interface MemoryApiKeyStoreOptions {
  now?: () => number;
}

/** Keys held in this process only: for tests and single-process demos. Keeps hashes, never secrets. */
export class MemoryApiKeyStore implements ApiKeyStore {
  readonly #keysById = new Map<string, VirtualKey>();
  readonly #idsBySecretHash = new Map<string, string>();
  readonly #now: () => number;

  constructor(options: MemoryApiKeyStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async create(input: CreateKeyInput): Promise<{ key: VirtualKey; secret: string }> {
    const valid = parseCreateKeyInput(input);
    const secret = createApiKeySecret();
    const key = buildVirtualKey(valid, secret, this.#now());
    this.#keysById.set(key.id, key);
    this.#idsBySecretHash.set(hashApiKeySecret(secret), key.id);
    return { key: copyKey(key), secret };
  }

  async findBySecret(secret: string): Promise<VirtualKey | undefined> {
    if (!looksLikeApiKeySecret(secret)) return undefined;
    const id = this.#idsBySecretHash.get(hashApiKeySecret(secret));
    return id === undefined ? undefined : this.get(id);
  }

  async get(id: string): Promise<VirtualKey | undefined> {
    const key = this.#keysById.get(id);
    return key === undefined ? undefined : copyKey(key);
  }

  async list(): Promise<VirtualKey[]> {
    return [...this.#keysById.values()]
      .toSorted((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map(copyKey);
  }

  async revoke(id: string): Promise<boolean> {
    const key = this.#keysById.get(id);
    if (key === undefined) return false;
    if (key.revokedAt === undefined) key.revokedAt = this.#now();
    return true;
  }
}

/** Callers get copies, so mutating a returned key cannot change the store. */
const copyKey = (key: VirtualKey): VirtualKey => ({ ...key, models: [...key.models], ...(key.limits === undefined ? {} : { limits: { ...key.limits } }) });
