import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA: one round trip, and Redis runs the whole script atomically. A server
 * that does not have it cached (first use, or after a restart) answers NOSCRIPT, and the script is sent
 * once in full with EVAL, which caches it again.
 */
export class RedisScript {
  readonly lua: string;
  readonly sha: string;

  constructor(lua: string) {
    this.lua = lua;
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

/** Formats a Lua number without losing bits (Lua's tostring keeps only 14 digits). Shared by every script. */
export const luaFormatNumber = `local function fmt(value) return string.format('%.17g', value) end\n`;

/** Reads a number a script formatted with `fmt` ('inf' for an infinite wait). */
export function parseLuaNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'inf') return Number.POSITIVE_INFINITY;
  const parsed = typeof value === 'string' ? Number(value) : Number.NaN;
  if (Number.isNaN(parsed)) throw new TypeError('redis: a script answered something other than a number');
  return parsed;
}

/** A script's reply must be a list; anything else means the script and this code disagree. */
export function expectList(reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw new TypeError('redis: a script answered something other than a list');
  return reply;
}

/** `bulwark:` then the namespace, so several gateways (or test runs) can share one server without meeting. */
export const redisKeyPrefix = (namespace: string | undefined): string => (namespace === undefined || namespace === '' ? 'bulwark:' : `bulwark:${namespace}:`);
