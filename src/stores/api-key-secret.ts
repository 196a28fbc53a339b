import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CreateKeyInput, VirtualKey } from './contracts.ts';

const secretMarker = 'bk_';
const secretBytes = 32;
/** `bk_` + base64url of 32 bytes (43 characters, no padding). */
const secretPattern = /^bk_[A-Za-z0-9_-]{43}$/;

/** A new virtual-key secret: 256 random bits, shown to its owner once. */
export function createApiKeySecret(): string {
  return secretMarker + randomBytes(secretBytes).toString('base64url');
}

/** A new public key id (`vk_...`), safe to log. */
export function createApiKeyId(): string {
  return 'vk_' + randomBytes(12).toString('base64url');
}

/**
 * What is stored instead of the secret. A plain SHA-256 is enough here, unlike for passwords: the
 * secret carries 256 bits of randomness, so no dictionary or brute-force search of the hash is feasible,
 * and a slow KDF (bcrypt, scrypt) would only add milliseconds to every authenticated request. Lookup is
 * by this hash on a unique index, so no secret is ever compared character by character.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The 8 characters after `bk_`, kept to recognise a key in a list. */
export function apiKeySecretPrefix(secret: string): string {
  return secret.slice(secretMarker.length, secretMarker.length + 8);
}

/** Whether a presented string has the shape of a Bulwark secret; anything else cannot match a key. */
export function looksLikeApiKeySecret(secret: unknown): secret is string {
  return typeof secret === 'string' && secretPattern.test(secret);
}

const createKeyInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  models: z.array(z.string().min(1)).min(1),
  team: z.string().min(1).max(200).optional(),
  expiresAt: z.number().int().nonnegative().optional(),
  limits: z
    .strictObject({
      requestsPerMinute: z.number().int().positive().optional(),
      tokensPerMinute: z.number().int().positive().optional(),
      maxConcurrent: z.number().int().positive().optional(),
    })
    .optional(),
  priority: z.enum(['high', 'normal', 'low']).optional(),
});

/** Validates what a caller asks a key store to create; throws a ZodError naming the bad field. */
export function parseCreateKeyInput(input: CreateKeyInput): CreateKeyInput {
  return createKeyInputSchema.parse(input);
}

/** The key record for a validated input and its new secret: one shape for every store. */
export function buildVirtualKey(valid: CreateKeyInput, secret: string, createdAt: number): VirtualKey {
  return {
    id: createApiKeyId(),
    name: valid.name,
    prefix: apiKeySecretPrefix(secret),
    models: [...valid.models],
    createdAt,
    ...(valid.team === undefined ? {} : { team: valid.team }),
    ...(valid.expiresAt === undefined ? {} : { expiresAt: valid.expiresAt }),
    ...(valid.limits === undefined ? {} : { limits: { ...valid.limits } }),
    ...(valid.priority === undefined ? {} : { priority: valid.priority }),
  };
}
