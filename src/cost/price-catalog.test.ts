import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { computeCost, createPriceCatalog, type PriceCatalogData } from './price-catalog.ts';

const shipped: unknown = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8'));
const catalog = createPriceCatalog(shipped);

const data = (families: PriceCatalogData['families']): PriceCatalogData => ({
  source: { repository: 'example/prices', path: 'prices.json', commit: 'abc123' },
  retrievedAt: '2026-01-01',
  unit: 'USD per million tokens',
  families,
});

describe('computeCost', () => {
  test('cached input at cachedInput, the rest of the input at input, output at output', () => {
    // 800,000 × $2.50 + 200,000 × $1.25 + 100,000 × $10 = $2.00 + $0.25 + $1.00 per million = $3.25
    const cost = computeCost(
      { inputTokens: 1_000_000, cachedInputTokens: 200_000, outputTokens: 100_000 },
      { input: 2.5, output: 10, cachedInput: 1.25 },
    );
    assert.equal(cost, 3.25);
  });

  test('cache writes at cacheWrite (Anthropic-style usage)', () => {
    // 2,000 × 3 + 6,000 × 0.30 + 2,000 × 3.75 + 500 × 15 = 6,000 + 1,800 + 7,500 + 7,500 = 22,800 µ$
    const cost = computeCost(
      { inputTokens: 10_000, cachedInputTokens: 6_000, cacheWriteInputTokens: 2_000, outputTokens: 500 },
      { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 },
    );
    assert.equal(cost, 0.0228);
  });

  test('missing cache prices fall back to input', () => {
    // 1,000 × 2 + 10 × 8 = 2,080 µ$, whatever part of the input was cached or written
    const cost = computeCost({ inputTokens: 1_000, cachedInputTokens: 400, cacheWriteInputTokens: 100, outputTokens: 10 }, { input: 2, output: 8 });
    assert.equal(cost, 0.00208);
  });

  test('reasoning tokens are part of the output, not billed twice', () => {
    assert.equal(computeCost({ inputTokens: 0, outputTokens: 100, reasoningTokens: 60 }, { input: 1, output: 10 }), 0.001);
  });

  test('prices with awkward binary fractions give the decimal answer', () => {
    // 1,000 × $0.165 = $0.000165 (Azure gpt-4o-mini), not 0.00016500000000000003
    assert.equal(computeCost({ inputTokens: 1_000, outputTokens: 0 }, { input: 0.165, output: 0.66 }), 0.000165);
    assert.equal(computeCost({ inputTokens: 3, outputTokens: 7 }, { input: 0.1, output: 0.7 }), 0.0000052);
  });

  test('malformed usage: negative or non-finite counts are zero, cache parts are capped at the input', () => {
    const price = { input: 1, output: 2, cachedInput: 0.5, cacheWrite: 4 };
    assert.equal(computeCost({ inputTokens: -5, outputTokens: Number.NaN }, price), 0);
    assert.equal(computeCost({ inputTokens: Infinity, outputTokens: 1_000_000 }, price), 2);
    // 100 input, "500 cached": all 100 are cached → 100 × 0.5 = 50 µ$
    assert.equal(computeCost({ inputTokens: 100, cachedInputTokens: 500, outputTokens: 0 }, price), 0.00005);
    // 100 input: 60 cached, "70 written" → only the 40 left are written: 60 × 0.5 + 40 × 4 = 190 µ$
    assert.equal(computeCost({ inputTokens: 100, cachedInputTokens: 60, cacheWriteInputTokens: 70, outputTokens: 0 }, price), 0.00019);
  });
});

describe('createPriceCatalog: the shipped prices.json', () => {
  test('validates and records where and when its prices were read', () => {
    assert.equal(catalog.source.repository, 'BerriAI/litellm');
    assert.match(catalog.source.commit, /^[0-9a-f]{40}$/);
    assert.match(catalog.retrievedAt, /^\d{4}-\d{2}-\d{2}$/);
  });

  test('holds per-million prices of the main families', () => {
    assert.deepEqual(catalog.lookup('openai', 'gpt-4o'), { input: 2.5, output: 10, cachedInput: 1.25 });
    assert.deepEqual(catalog.lookup('openai', 'text-embedding-3-small'), { input: 0.02, output: 0 });
    assert.deepEqual(catalog.lookup('anthropic', 'claude-sonnet-4-5'), { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 });
    assert.deepEqual(catalog.lookup('gemini', 'gemini-2.5-pro'), { input: 1.25, output: 10, cachedInput: 0.125 });
    assert.deepEqual(catalog.lookup('bedrock', 'amazon.nova-pro-v1:0'), { input: 0.8, output: 3.2 });
    assert.deepEqual(catalog.lookup('groq', 'llama-3.3-70b-versatile'), { input: 0.59, output: 0.79 });
    assert.deepEqual(catalog.lookup('deepseek', 'deepseek-chat'), { input: 0.28, output: 0.42, cachedInput: 0.028 });
  });
});

describe('PriceCatalog.lookup', () => {
  test('exact names first: a dated snapshot with its own price keeps it', () => {
    assert.deepEqual(catalog.lookup('openai', 'gpt-4o-2024-05-13'), { input: 5, output: 15 });
  });

  test('dated and versioned names fall back to the model', () => {
    assert.equal(catalog.lookup('openai', 'gpt-4.1-2025-04-14')?.input, 2);
    assert.equal(catalog.lookup('openai', 'GPT-5-mini-2025-08-07')?.input, 0.25);
    assert.equal(catalog.lookup('anthropic', 'claude-sonnet-4-5-20250929')?.cacheWrite, 3.75);
    assert.equal(catalog.lookup('anthropic', 'claude-3-7-sonnet-latest')?.input, 3);
    assert.equal(catalog.lookup('anthropic', 'claude-sonnet-4-0')?.input, 3);
  });

  test('the longest known name a model extends, but never across a version number', () => {
    assert.equal(catalog.lookup('openai', 'o3-mini-high')?.input, 1.1);
    assert.equal(catalog.lookup('anthropic', 'claude-opus-4-9'), undefined);
    assert.equal(catalog.lookup('openai', 'gpt-5.9'), undefined);
  });

  test('Azure uses its own prices where they differ, else OpenAI names', () => {
    assert.deepEqual(catalog.lookup('azure-openai', 'gpt-4o-mini'), { input: 0.165, output: 0.66, cachedInput: 0.075 });
    assert.equal(catalog.lookup('azure-openai', 'gpt-5-nano')?.input, 0.05);
    assert.equal(catalog.lookup('azure-openai', 'my-private-deployment'), undefined);
  });

  test('openai-compatible tries OpenAI, then the open-model hosts; a family prefix goes first', () => {
    assert.equal(catalog.lookup('openai-compatible', 'gpt-4o-mini')?.input, 0.15);
    assert.equal(catalog.lookup('openai-compatible', 'llama-3.3-70b-versatile')?.input, 0.59);
    assert.equal(catalog.lookup('openai-compatible', 'together/openai/gpt-oss-20b')?.input, 0.05);
    assert.equal(catalog.lookup('openai-compatible', 'together_ai/openai/gpt-oss-20b')?.input, 0.05);
    assert.equal(catalog.lookup('openai-compatible', 'groq/openai/gpt-oss-20b')?.input, 0.075);
  });

  test('Bedrock ids: geography prefixes, ARNs and versions are normalised; regional prices kept', () => {
    assert.equal(catalog.lookup('bedrock', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')?.input, 3);
    assert.equal(catalog.lookup('bedrock', 'us.anthropic.claude-sonnet-4-6')?.input, 3.3);
    assert.equal(catalog.lookup('bedrock', 'global.anthropic.claude-sonnet-4-6')?.input, 3);
    assert.equal(catalog.lookup('bedrock', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0')?.input, 0.72);
    assert.equal(catalog.lookup('bedrock', 'arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0')?.output, 0.24);
    assert.equal(catalog.lookup('bedrock', 'bedrock/mistral.mistral-large-2407-v1:0')?.output, 9);
  });

  test('Bedrock Anthropic models the Bedrock list lacks fall back to Anthropic prices', () => {
    assert.equal(catalog.lookup('bedrock', 'anthropic.claude-fable-5-v1:0'), catalog.lookup('anthropic', 'claude-fable-5'));
    assert.equal(catalog.lookup('bedrock', 'anthropic.claude-fable-5-v1:0')?.input, 10);
  });

  test('Gemini model resource names', () => {
    assert.equal(catalog.lookup('gemini', 'models/gemini-2.5-flash')?.output, 2.5);
  });

  test('unknown providers, unknown models and malformed arguments give undefined', () => {
    assert.equal(catalog.lookup('openai', 'no-such-model'), undefined);
    assert.equal(catalog.lookup('cohere', 'command-r'), undefined);
    assert.equal(catalog.lookup('openai', ''), undefined);
    assert.equal(catalog.lookup(undefined as unknown as string, 'gpt-4o'), undefined);
    assert.equal(catalog.lookup('openai', 42 as unknown as string), undefined);
  });

  test('returned prices cannot be changed by callers', () => {
    const price = catalog.lookup('openai', 'gpt-4o');
    assert.ok(price !== undefined);
    assert.throws(() => {
      price.input = 0;
    }, TypeError);
    assert.equal(catalog.lookup('openai', 'gpt-4o')?.input, 2.5);
  });

  test('two snapshots with different prices do not make a price up for their base name', () => {
    const ambiguous = createPriceCatalog(
      data({ openai: { 'model-x-2025-01-01': { input: 1, output: 1 }, 'model-x-2025-06-01': { input: 2, output: 2 } } }),
    );
    assert.equal(ambiguous.lookup('openai', 'model-x'), undefined);
    assert.equal(ambiguous.lookup('openai', 'model-x-2025-06-01')?.input, 2);
  });
});

describe('createPriceCatalog: malformed data', () => {
  const bad: [string, unknown][] = [
    ['not an object', 'prices'],
    ['missing source', { ...data({}), source: undefined }],
    ['wrong unit', { ...data({}), unit: 'USD per token' }],
    ['bad date', { ...data({}), retrievedAt: 'yesterday' }],
    ['negative price', data({ openai: { m: { input: -1, output: 1 } } })],
    ['missing output', data({ openai: { m: { input: 1 } as never } })],
    ['unknown price field', data({ openai: { m: { input: 1, output: 1, perImage: 2 } as never } })],
    ['string price', data({ openai: { m: { input: '1', output: 1 } as never } })],
  ];
  for (const [name, value] of bad) {
    test(`refuses ${name}`, () => {
      assert.throws(() => createPriceCatalog(value));
    });
  }
});
