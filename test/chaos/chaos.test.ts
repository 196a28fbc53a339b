import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import OpenAI from 'openai';
import type { RequestRecord } from '../../src/stores/contracts.ts';
import { startStack, type Stack } from '../support/start-stack.ts';

/**
 * The chaos suite of issue 3: Bulwark in front of a simulator that fails on demand. Figures are
 * printed as test diagnostics (`node --test test/chaos/` shows them) for the closing notes.
 */
let stack: Stack;
let client: OpenAI;

before(async () => {
  stack = await startStack({
    extraYaml: `  flaky: { targets: [{ provider: sim-openai, model: gpt-flaky, price: { input: 0.15, output: 0.6 } }, { provider: sim-anthropic, model: claude-haiku-4-5 }] }
  down: { targets: [{ provider: dead, model: gpt-down }, { provider: sim-anthropic, model: claude-haiku-4-5 }] }
  healthy: { targets: [{ provider: sim-anthropic, model: claude-haiku-4-5 }] }
  validated: { targets: [{ provider: sim-openai, model: gpt-garbage }, { provider: sim-anthropic, model: claude-haiku-4-5 }] }
  budgeted: { latencyBudgetMs: 400, targets: [{ provider: sim-openai, model: gpt-hangs }, { provider: sim-anthropic, model: claude-haiku-4-5 }] }`,
    topLevelYaml: `reliability:
  retry: { backoff: { baseMs: 5, maxMs: 50 }, maxRetryAfterSeconds: 0.05 }
  circuitBreaker: { consecutiveFailures: 5, openMs: 60000 }`,
    simulator: { retryAfterSeconds: 0 },
  });
  client = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: stack.key, maxRetries: 0 });
});
after(() => stack.close());

const percentile = (values: number[], fraction: number): number => {
  const sorted = values.toSorted((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
};

/** Sends `count` requests, `concurrency` at a time; returns each one's outcome and latency. */
const drive = async (model: string, count: number, concurrency: number) => {
  const outcomes: Array<{ ok: boolean; ms: number; requestId: string | null }> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const started = performance.now();
      try {
        const { response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: '[[sim:reply ok]]' }] }).withResponse();
        outcomes.push({ ok: true, ms: performance.now() - started, requestId: response.headers.get('x-request-id') });
      } catch {
        outcomes.push({ ok: false, ms: performance.now() - started, requestId: null });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
};

const recordsOf = async (requestIds: ReadonlySet<string | null>): Promise<RequestRecord[]> => {
  await stack.bulwark.flushRequestLog();
  return (await stack.bulwark.requestLog.query({ limit: 10_000 })).filter((record) => requestIds.has(record.requestId));
};

describe('chaos', () => {
  test('primary failing 30% (429 and 5xx) with a healthy fallback: ≥ 99.9% of 2,000 requests succeed, retries stay in budget, nothing lost or billed twice', async (t: TestContext) => {
    stack.simulator.faults.set([
      { fault: 'rate-limit', model: 'gpt-flaky', rate: 0.15 },
      { fault: 'server-error', model: 'gpt-flaky', rate: 0.15 },
    ]);
    try {
      const started = performance.now();
      const outcomes = await drive('flaky', 2000, 16);
      const elapsedMs = performance.now() - started;
      const succeeded = outcomes.filter((outcome) => outcome.ok).length;
      const records = await recordsOf(new Set(outcomes.map((outcome) => outcome.requestId)));
      const primaryFailures = records.reduce((sum, record) => sum + (record.attemptFailures?.filter((failure) => failure.model === 'gpt-flaky').length ?? 0), 0);
      const fellBack = records.filter((record) => record.provider === 'sim-anthropic').length;
      // A retry is a second or later try at the same deployment within one request.
      const retries = records.reduce((sum, record) => {
        const atPrimary = (record.attemptFailures?.filter((failure) => failure.model === 'gpt-flaky').length ?? 0) + (record.upstreamModel === 'gpt-flaky' ? 1 : 0);
        return sum + Math.max(0, atPrimary - 1);
      }, 0);
      t.diagnostic(`succeeded ${succeeded}/2000 (${((100 * succeeded) / 2000).toFixed(2)}%), primary failures ${primaryFailures}, retries ${retries} (${((100 * retries) / 2000).toFixed(1)}% of requests), served by fallback ${fellBack}, p50 ${percentile(outcomes.map((o) => o.ms), 0.5).toFixed(2)} ms, p99 ${percentile(outcomes.map((o) => o.ms), 0.99).toFixed(2)} ms`);
      assert.ok(succeeded / 2000 >= 0.999, `only ${succeeded} succeeded`);
      assert.equal(records.length, 2000, 'every request is in the log exactly once');
      assert.equal(new Set(records.map((record) => record.requestId)).size, 2000);
      assert.ok(primaryFailures > 300, 'the faults really fired');
      // The budget allows 20% of requests plus 10 per 10-second window (reliability.retry.budget defaults).
      const allowed = 0.2 * 2000 + 10 * Math.ceil(elapsedMs / 10_000);
      assert.ok(retries <= allowed, `retries ${retries} exceed the budget of ${allowed}`);
      assert.ok(records.every((record) => record.status !== 200 || record.costUsd > 0), 'every answered request is billed');
    } finally {
      stack.simulator.faults.clear();
    }
  });

  test('primary hard down: its breaker opens and latency returns to within twice the healthy baseline', async (t: TestContext) => {
    // The first 100 calls to the dead primary open its breaker; after that, healthy and down batches
    // alternate so that a burst of load from elsewhere on this shared machine falls on both alike.
    const opening = await drive('down', 100, 8);
    const baseline: number[] = [];
    const down = [...opening];
    const afterOpen: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      baseline.push(...(await drive('healthy', 75, 8)).map((outcome) => outcome.ms));
      const batch = await drive('down', 75, 8);
      down.push(...batch);
      afterOpen.push(...batch.map((outcome) => outcome.ms));
    }
    assert.ok(down.every((outcome) => outcome.ok), 'every request is served by the fallback');
    const circuits = (await (await fetch(`${stack.bulwark.url}/admin/circuits`, { headers: { authorization: `Bearer ${stack.adminToken}` } })).json()) as {
      data: Record<string, { phase: string }>;
    };
    t.diagnostic(
      `healthy p50 ${percentile(baseline, 0.5).toFixed(2)} / p99 ${percentile(baseline, 0.99).toFixed(2)} ms; primary down, after the breaker opened: p50 ${percentile(afterOpen, 0.5).toFixed(2)} / p99 ${percentile(afterOpen, 0.99).toFixed(2)} ms; first 10 requests p50 ${percentile(down.slice(0, 10).map((o) => o.ms), 0.5).toFixed(2)} ms`,
    );
    assert.equal(circuits.data['dead/gpt-down']?.phase, 'open');
    assert.ok(percentile(afterOpen, 0.5) <= 2 * percentile(baseline, 0.5) + 0.5, 'p50 within twice the baseline');
    // p99 of a few hundred local calls is noisy on a shared 2-core machine: a millisecond of slack.
    assert.ok(percentile(afterOpen, 0.99) <= 2 * percentile(baseline, 0.99) + 1, 'p99 within twice the baseline');
  });

  test('a latency budget cuts a primary that cannot meet it and the fallback answers in time', async (t: TestContext) => {
    // Warm the simulator (its tokenizer loads on first use) so the fallback's time is its own.
    await drive('healthy', 5, 1);
    stack.simulator.faults.set([{ fault: 'hang', model: 'gpt-hangs' }]);
    try {
      const started = performance.now();
      const { data, response } = await client.chat.completions.create({ model: 'budgeted', messages: [{ role: 'user', content: '[[sim:reply in time]]' }] }).withResponse();
      const elapsed = performance.now() - started;
      t.diagnostic(`budget 400 ms: answered by ${response.headers.get('x-bulwark-provider')} in ${elapsed.toFixed(0)} ms after ${response.headers.get('x-bulwark-attempts')} attempts`);
      assert.equal(data.choices[0]?.message.content, 'in time');
      assert.equal(response.headers.get('x-bulwark-provider'), 'sim-anthropic');
      const [record] = await recordsOf(new Set([response.headers.get('x-request-id')]));
      assert.equal(record?.attemptFailures?.[0]?.code, 'upstream_timeout');
      assert.match(record?.attemptFailures?.[0]?.message ?? '', /latency budget/);

      // The header sets a budget per request; with it spent on the only target, the caller gets a timeout.
      const onlyHanging = await fetch(`${stack.bulwark.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json', 'x-bulwark-latency-budget-ms': '200' },
        body: JSON.stringify({ model: 'sim-openai/gpt-hangs', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(onlyHanging.status, 504);
    } finally {
      stack.simulator.faults.clear();
    }
  });

  test('a 200 OK with output that breaks the requested schema is re-asked, then failed over, and logged as a failure', async () => {
    stack.simulator.faults.set([{ fault: 'invalid-json', model: 'gpt-garbage' }]);
    try {
      const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
      const { data, response } = await client.chat.completions
        .create({ model: 'validated', response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } }, messages: [{ role: 'user', content: 'Answer.' }] })
        .withResponse();
      const parsed = JSON.parse(data.choices[0]?.message.content ?? '') as { answer?: unknown };
      assert.equal(typeof parsed.answer, 'string');
      assert.equal(response.headers.get('x-bulwark-provider'), 'sim-anthropic');
      const [record] = await recordsOf(new Set([response.headers.get('x-request-id')]));
      assert.equal(record?.attemptFailures?.[0]?.code, 'upstream_invalid_output');
      assert.equal(record?.attemptFailures?.[0]?.model, 'gpt-garbage');
      // The re-ask (reliability.outputValidation.maxReasks: 1) asked the broken deployment twice.
      assert.equal(stack.simulator.faults.list().find((rule) => rule.model === 'gpt-garbage')?.fired, 2);
    } finally {
      stack.simulator.faults.clear();
    }
  });
});
