import type { CacheControl, JsonObject } from '../../core/model/index.ts';
import type { AnthropicCacheControl } from './schemas.ts';

/**
 * Prompt-caching breakpoints (https://platform.claude.com/docs/en/build-with-claude/prompt-caching)
 * are canonical `CacheControl`; these keep `ttl` ("5m" / "1h") through the round trip.
 */
export const decodeCacheControl = (cacheControl: AnthropicCacheControl | null | undefined): CacheControl | undefined => {
  if (cacheControl === null || cacheControl === undefined) return undefined;
  return cacheControl.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cacheControl.ttl };
};

export const encodeCacheControl = (cacheControl: CacheControl): JsonObject =>
  cacheControl.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: cacheControl.ttl };

/** Adds `cache_control` to an encoded block when the part has a breakpoint. */
export const withCacheControl = <Block extends JsonObject>(block: Block, cacheControl: CacheControl | undefined): Block =>
  cacheControl === undefined ? block : { ...block, cache_control: encodeCacheControl(cacheControl) };
