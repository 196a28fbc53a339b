import { z } from 'zod';
import type { Price, TokenUsage } from '../core/model/index.ts';
import { bedrockNameCandidates, geminiName, stripVersionSuffixes } from './normalize-model-name.ts';

export type { Price };

const perMillion = z.number().nonnegative().finite();
const priceSchema = z.strictObject({
  input: perMillion,
  output: perMillion,
  cachedInput: perMillion.optional(),
  cacheWrite: perMillion.optional(),
});

/**
 * The shape of `prices.json`:
 *
 * - `source`: where the prices were read (`repository`, `path`, `commit`; `url` and `conversion`
 *   optional), so that anyone can check them or refresh them from a later commit.
 * - `retrievedAt`: the day they were read (`YYYY-MM-DD`). Prices change; a stale file is visible.
 * - `unit`: always `"USD per million tokens"`.
 * - `families`: provider family (`openai`, `azure`, `anthropic`, `gemini`, `bedrock`, `groq`, `mistral`,
 *   `deepseek`, `together`, ...) → model name as that provider spells it → `{ input, output, cachedInput?,
 *   cacheWrite? }`. A missing cache price means the provider bills those tokens at `input`.
 */
export const priceCatalogDataSchema = z.object({
  source: z.object({
    repository: z.string().min(1),
    path: z.string().min(1),
    commit: z.string().min(1),
    url: z.string().optional(),
    conversion: z.string().optional(),
  }),
  retrievedAt: z.iso.date(),
  unit: z.literal('USD per million tokens'),
  families: z.record(z.string().min(1), z.record(z.string().min(1), priceSchema)),
});

export type PriceCatalogData = z.output<typeof priceCatalogDataSchema>;

export interface PriceCatalog {
  /**
   * The price of `model` at a provider of type `providerType` (a config provider type such as
   * `azure-openai`, or a family name such as `groq`). Tried in order: the exact name; the name without
   * its snapshot date or version (`gpt-4o-2024-08-06` → `gpt-4o`); the longest catalog name the model
   * extends (`o3-mini-high` → `o3-mini`, never `claude-opus-4-9` → `claude-opus-4`). Azure and
   * openai-compatible providers fall back to OpenAI's names; Bedrock Anthropic models fall back to
   * Anthropic's. Undefined when nothing matches: a target's configured price is then the only source.
   */
  lookup(providerType: string, model: string): Price | undefined;
  readonly retrievedAt: string;
  readonly source: PriceCatalogData['source'];
}

/** Families searched for each provider type, in order. */
const familiesByProviderType: Record<string, readonly string[]> = {
  openai: ['openai'],
  'azure-openai': ['azure', 'openai'],
  azure: ['azure', 'openai'],
  'openai-compatible': ['openai', 'groq', 'together', 'mistral', 'deepseek'],
  anthropic: ['anthropic'],
  gemini: ['gemini'],
  bedrock: ['bedrock'],
};

/** LiteLLM's spellings of family prefixes (`together_ai/meta-llama/...`). */
const familyAliases: Record<string, string> = { together_ai: 'together', azure_openai: 'azure' };

interface FamilyIndex {
  exact: Map<string, Price>;
  /** Catalog names without their version suffix; ambiguous ones (two prices) are left out. */
  stripped: Map<string, Price>;
  /** Every indexed name, longest first, for the prefix rule. */
  byLength: string[];
}

type Candidate = [family: string, name: string];

const maxCachedLookups = 4_096;

/** Builds a catalog from data shaped like `prices.json`; throws a ZodError when it is not. */
export function createPriceCatalog(data: unknown): PriceCatalog {
  const parsed = priceCatalogDataSchema.parse(data);
  const families = new Map<string, FamilyIndex>();
  for (const [family, models] of Object.entries(parsed.families)) families.set(family, indexFamily(models));
  const cache = new Map<string, Price | null>();

  const resolve = (providerType: string, model: string): Price | undefined => {
    const candidates = candidatesFor(providerType.toLowerCase(), model, families);
    for (const [family, name] of candidates) {
      const index = families.get(family);
      const price = index?.exact.get(name) ?? exactAfterStripping(index, name);
      if (price !== undefined) return price;
    }
    for (const [family, name] of candidates) {
      const price = byPrefix(families.get(family), stripVersionSuffixes(name));
      if (price !== undefined) return price;
    }
    return undefined;
  };

  return {
    retrievedAt: parsed.retrievedAt,
    source: parsed.source,
    lookup(providerType: string, model: string): Price | undefined {
      if (typeof providerType !== 'string' || typeof model !== 'string' || model.trim() === '') return undefined;
      const key = `${providerType}\u0000${model}`;
      const cached = cache.get(key);
      if (cached !== undefined) return cached ?? undefined;
      const price = resolve(providerType, model);
      if (cache.size >= maxCachedLookups) cache.clear();
      cache.set(key, price ?? null);
      return price;
    },
  };
}

function indexFamily(models: Record<string, Price>): FamilyIndex {
  const exact = new Map<string, Price>();
  for (const [name, price] of Object.entries(models)) exact.set(name.toLowerCase(), Object.freeze({ ...price }));
  const stripped = new Map<string, Price>();
  const ambiguous = new Set<string>();
  for (const [name, price] of exact) {
    const base = stripVersionSuffixes(name);
    if (base === name || exact.has(base) || ambiguous.has(base)) continue;
    const seen = stripped.get(base);
    if (seen !== undefined && !samePrice(seen, price)) {
      stripped.delete(base);
      ambiguous.add(base);
    } else {
      stripped.set(base, price);
    }
  }
  const byLength = [...new Set([...exact.keys(), ...stripped.keys()])].toSorted((a, b) => b.length - a.length);
  return { exact, stripped, byLength };
}

function candidatesFor(providerType: string, model: string, families: Map<string, FamilyIndex>): Candidate[] {
  const name = model.toLowerCase().trim();
  if (providerType === 'bedrock') {
    const names = bedrockNameCandidates(name);
    const anthropic = names
      .filter((candidate) => candidate.startsWith('anthropic.'))
      .map((candidate): Candidate => ['anthropic', candidate.slice('anthropic.'.length)]);
    return [...names.map((candidate): Candidate => ['bedrock', candidate]), ...anthropic];
  }
  if (providerType === 'gemini') return [['gemini', geminiName(name)]];
  const defaults = familiesByProviderType[providerType] ?? (families.has(providerType) ? [providerType] : []);
  const candidates: Candidate[] = [];
  // `groq/llama-3.3-70b-versatile`: a family named in front of the model is searched first.
  const slash = name.indexOf('/');
  if (slash > 0) {
    const prefix = name.slice(0, slash);
    const family = familyAliases[prefix] ?? prefix;
    if (families.has(family)) candidates.push([family, name.slice(slash + 1)]);
  }
  for (const family of defaults) candidates.push([family, name]);
  return candidates;
}

function exactAfterStripping(index: FamilyIndex | undefined, name: string): Price | undefined {
  if (index === undefined) return undefined;
  const base = stripVersionSuffixes(name);
  return index.exact.get(base) ?? index.stripped.get(base);
}

/**
 * The longest catalog name the model extends at a separator, when what follows does not start with a
 * digit: `o3-mini-high` → `o3-mini`, but `claude-opus-4-9` is not `claude-opus-4` (a different version,
 * priced differently) and `gpt-5.4` is not `gpt-5`.
 */
function byPrefix(index: FamilyIndex | undefined, name: string): Price | undefined {
  if (index === undefined) return undefined;
  for (const known of index.byLength) {
    if (known.length >= name.length || !name.startsWith(known)) continue;
    const separator = name[known.length];
    const next = name[known.length + 1] ?? '';
    if ((separator === '-' || separator === ':' || separator === '@') && !/\d/.test(next)) {
      return index.exact.get(known) ?? index.stripped.get(known);
    }
  }
  return undefined;
}

const samePrice = (a: Price, b: Price): boolean =>
  a.input === b.input && a.output === b.output && a.cachedInput === b.cachedInput && a.cacheWrite === b.cacheWrite;

const tokens = (value: number | undefined): number => (value !== undefined && Number.isFinite(value) && value > 0 ? value : 0);

/**
 * What a call cost in USD, under the canonical usage semantics (`core/model/token-usage.ts`): cached
 * and cache-write tokens are part of `inputTokens`; they are billed at `cachedInput` and `cacheWrite`
 * (or `input` where the price has none), the rest of the input at `input`, and every output token, reasoning
 * included, at `output`. Negative or non-finite counts count as zero, and parts that exceed the input are
 * capped at it. Rounded to 1e-12 USD so that sums of costs do not accumulate binary noise.
 */
export function computeCost(usage: TokenUsage, price: Price): number {
  const input = tokens(usage.inputTokens);
  const cached = Math.min(tokens(usage.cachedInputTokens), input);
  const cacheWrite = Math.min(tokens(usage.cacheWriteInputTokens), input - cached);
  const uncached = input - cached - cacheWrite;
  const microUsd =
    uncached * price.input +
    cached * (price.cachedInput ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    tokens(usage.outputTokens) * price.output;
  return Math.round((microUsd / 1_000_000) * 1e12) / 1e12;
}
