import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startStack, type Stack } from '../support/start-stack.ts';

/** One parsed sample line: `name{a="x",b="y"} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const parseExposition = (text: string): Sample[] =>
  text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] ?? ''] = pair[2] ?? '';
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });

/** The sum of the samples of `name` whose labels include `labels` (0 when none). */
const sum = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([label, value]) => sample.labels[label] === value))
    .reduce((total, sample) => total + sample.value, 0);

const scrape = async (stack: Stack, headers: Record<string, string> = {}): Promise<Response> => fetch(`${stack.bulwark.url}/metrics`, { headers });

/** A stream's request is counted when its last event has gone out: poll until every request sent is. */
const scrapeSettled = async (stack: Stack, expectedRequests: number): Promise<Sample[]> => {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const samples = parseExposition(await (await scrape(stack)).text());
    if (sum(samples, 'bulwark_requests_total') >= expectedRequests || Date.now() > deadline) return samples;
    await new Promise((resolve) => setImmediate(resolve));
  }
};

describe('GET /metrics after mixed traffic', () => {
  let stack: Stack;
  let samples: Sample[];
  const usage = { input: 0, output: 0 };
  let gptCompleted = 0;
  let gptStreamed = 0;
  let claudeCompleted = 0;
  /** A truncated answer (stopped at max_tokens) scores 0.5 (docs/quality.md). */
  let claudeTruncated = false;

  before(async () => {
    stack = await startStack();
    const openai = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: stack.key, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: stack.bulwark.url, apiKey: stack.key, maxRetries: 0 });
    for (let index = 0; index < 3; index += 1) {
      const result = await openai.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: `question ${index}` }] });
      usage.input += result.usage?.prompt_tokens ?? 0;
      usage.output += result.usage?.completion_tokens ?? 0;
      gptCompleted += 1;
    }
    for (let index = 0; index < 2; index += 1) {
      const stream = await openai.chat.completions.create({ model: 'gpt', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: `streamed ${index}` }] });
      for await (const chunk of stream) {
        usage.input += chunk.usage?.prompt_tokens ?? 0;
        usage.output += chunk.usage?.completion_tokens ?? 0;
      }
      gptStreamed += 1;
    }
    const message = await anthropic.messages.create({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(message.usage.input_tokens > 0);
    claudeCompleted += 1;
    claudeTruncated = message.stop_reason === 'max_tokens';
    // Three server errors: the gpt call is tried three times (two retries), then fails with 502.
    stack.simulator.faults.set([{ fault: 'server-error', count: 3 }]);
    await assert.rejects(openai.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'fails' }] }), (error: unknown) => error instanceof OpenAI.APIError && error.status === 502);
    // The first target of fallback-gpt always fails: three tries, then the fallback answers.
    stack.simulator.faults.set([{ fault: 'server-error', model: 'broken-model' }]);
    await openai.chat.completions.create({ model: 'fallback-gpt', messages: [{ role: 'user', content: 'fall back' }] });
    stack.simulator.faults.clear();
    // A model nobody configured must not become a label.
    await assert.rejects(openai.chat.completions.create({ model: 'made-up-model-4711', messages: [{ role: 'user', content: 'hi' }] }));
    samples = await scrapeSettled(stack, 3 + 2 + 1 + 1 + 1 + 1);
  });
  after(() => stack.close());

  test('counts requests by model, provider, status and streaming', () => {
    const gpt = { endpoint: '/v1/chat/completions', model: 'gpt', provider: 'sim-openai' };
    assert.equal(sum(samples, 'bulwark_requests_total', { ...gpt, status: '200', stream: 'false' }), gptCompleted);
    assert.equal(sum(samples, 'bulwark_requests_total', { ...gpt, status: '200', stream: 'true' }), gptStreamed);
    assert.equal(sum(samples, 'bulwark_requests_total', { model: 'gpt', status: '502' }), 1);
    assert.equal(sum(samples, 'bulwark_requests_total', { endpoint: '/v1/messages', model: 'claude', provider: 'sim-anthropic', status: '200' }), claudeCompleted);
    assert.equal(sum(samples, 'bulwark_requests_total'), 9);
  });

  test('tokens are the sums of the usage the SDK returned', () => {
    assert.equal(sum(samples, 'bulwark_tokens_total', { model: 'gpt', type: 'input' }), usage.input);
    assert.equal(sum(samples, 'bulwark_tokens_total', { model: 'gpt', type: 'output' }), usage.output);
    assert.ok(usage.input > 0 && usage.output > 0);
    assert.ok(sum(samples, 'bulwark_cost_usd_total', { model: 'gpt', provider: 'sim-openai' }) > 0, 'gpt-4o-mini has a catalog price');
  });

  test('latency is observed for every request, time to first token for each stream', () => {
    assert.equal(sum(samples, 'bulwark_request_duration_seconds_count', { model: 'gpt' }), gptCompleted + gptStreamed + 1);
    assert.equal(sum(samples, 'bulwark_time_to_first_token_seconds_count', { model: 'gpt' }), gptStreamed);
    const infinite = sum(samples, 'bulwark_request_duration_seconds_bucket', { model: 'gpt', provider: 'sim-openai', stream: 'false', le: '+Inf' });
    // The failed gpt call went to sim-openai too.
    assert.equal(infinite, gptCompleted + 1);
    assert.ok(samples.some((sample) => sample.name === 'bulwark_request_duration_seconds_bucket' && sample.labels['le'] === '120'));
  });

  test('errors, failed attempts, retries and fallbacks', () => {
    // Every try failed: the caller gets all_targets_failed, listing them.
    assert.equal(sum(samples, 'bulwark_errors_total', { model: 'gpt', code: 'all_targets_failed' }), 1);
    assert.equal(sum(samples, 'bulwark_errors_total', { model: 'unknown', code: 'model_not_found' }), 1);
    // 3 failed tries of the failing gpt call, 3 of fallback-gpt's first target.
    assert.equal(sum(samples, 'bulwark_attempt_failures_total', { provider: 'sim-openai', code: 'upstream_server_error' }), 6);
    assert.equal(sum(samples, 'bulwark_retries_total', { provider: 'sim-openai', code: 'upstream_server_error' }), 4);
    assert.equal(sum(samples, 'bulwark_fallbacks_total'), 1);
    assert.equal(sum(samples, 'bulwark_fallbacks_total', { model: 'fallback-gpt', provider: 'sim-anthropic' }), 1);
  });

  test('every answered chat request is scored for quality and its validation verdict counted; failures are not scored', () => {
    const answered = { gpt: [gptCompleted + gptStreamed, 1], claude: [claudeCompleted, claudeTruncated ? 0.5 : 1], 'fallback-gpt': [1, 1] };
    for (const [model, [count = 0, score = 0]] of Object.entries(answered)) {
      assert.equal(sum(samples, 'bulwark_request_quality_score_count', { model }), count, model);
      assert.equal(sum(samples, 'bulwark_request_quality_score_sum', { model }), count * score, `${model}: valid answers, score ${score} each`);
      assert.equal(sum(samples, 'bulwark_output_validations_total', { model, verdict: 'passed' }), count, model);
    }
    assert.equal(sum(samples, 'bulwark_request_quality_score_count', { model: 'unknown' }), 0);
    assert.equal(sum(samples, 'bulwark_request_quality_score_count'), 3 + 2 + 1 + 1, 'the failed gpt call has no score');
  });

  test('an unconfigured model is labelled unknown, never by its name', () => {
    assert.equal(sum(samples, 'bulwark_requests_total', { model: 'unknown' }), 1);
    assert.ok(!samples.some((sample) => Object.values(sample.labels).includes('made-up-model-4711')));
  });

  test('breakers are exported per configured deployment, and process metrics are present', () => {
    assert.equal(sum(samples, 'bulwark_circuit_breaker_state', { deployment: 'sim-anthropic/claude-sonnet-4-5' }), 0);
    assert.ok(samples.some((sample) => sample.name === 'process_cpu_user_seconds_total'));
    assert.ok(!samples.some((sample) => 'key' in sample.labels), 'no key label unless metrics.perKeyLabels');
    assert.ok(!samples.some((sample) => 'user' in sample.labels || 'end_user' in sample.labels));
  });
});

describe('per-key labels, breakers and the queue', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack({
      topLevelYaml: `
metrics: { perKeyLabels: true, maxKeyLabels: 2 }
reliability: { circuitBreaker: { consecutiveFailures: 2 }, queue: { defaultMaxConcurrent: 1 } }`,
    });
  });
  after(() => stack.close());

  test('the key label is capped: the third distinct key is counted as other', async () => {
    const second = await stack.bulwark.keys.create({ name: 'second', models: ['*'] });
    const third = await stack.bulwark.keys.create({ name: 'third', models: ['*'] });
    const firstId = (await stack.bulwark.keys.list()).find((key) => key.name === 'e2e')?.id;
    for (const secret of [stack.key, second.secret, third.secret, third.secret]) {
      const client = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: secret, maxRetries: 0 });
      await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
    }
    const samples = await scrapeSettled(stack, 4);
    const keys = new Set(samples.filter((sample) => sample.name === 'bulwark_requests_total').map((sample) => sample.labels['key']));
    assert.deepEqual([...keys].toSorted(), [firstId, second.key.id, 'other'].toSorted());
    assert.equal(sum(samples, 'bulwark_requests_total', { key: 'other' }), 2);
    assert.ok(!keys.has(third.key.id));
    assert.ok(sum(samples, 'bulwark_tokens_total', { key: second.key.id, type: 'output' }) > 0);
    // Histograms never carry the key.
    assert.ok(!samples.some((sample) => sample.name.startsWith('bulwark_request_duration_seconds') && 'key' in sample.labels));
  });

  test('an opened circuit shows as 2 for its deployment', async () => {
    const client = new OpenAI({ baseURL: `${stack.bulwark.url}/v1`, apiKey: stack.key, maxRetries: 0 });
    stack.simulator.faults.set([{ fault: 'server-error', model: 'gpt-4o-mini' }]);
    try {
      await assert.rejects(client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }));
    } finally {
      stack.simulator.faults.clear();
    }
    const samples = parseExposition(await (await scrape(stack)).text());
    assert.equal(sum(samples, 'bulwark_circuit_breaker_state', { deployment: 'sim-openai/gpt-4o-mini' }), 2);
    assert.equal(sum(samples, 'bulwark_circuit_breaker_state', { deployment: 'sim-anthropic/claude-sonnet-4-5' }), 0);
    assert.equal(sum(samples, 'bulwark_errors_total', { model: 'gpt' }), 1);
  });

  test('a call waiting for a busy deployment shows in the queue depth, then in the wait histogram', async () => {
    stack.simulator.faults.set([{ fault: 'hang', count: 1 }]);
    const controller = new AbortController();
    const request = (signal?: AbortSignal): Promise<Response> =>
      fetch(`${stack.bulwark.url}/v1/chat/completions`, {
        method: 'POST',
        ...(signal === undefined ? {} : { signal }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.key}` },
        body: JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] }),
      });
    const holding = request(controller.signal).catch(() => undefined);
    await new Promise((resolve) => stack.faultEvents.once('fault', resolve));
    const waiting = request();
    const deployment = 'sim-anthropic/claude-sonnet-4-5';
    let depth = 0;
    const deadline = Date.now() + 5_000;
    while (depth !== 1 && Date.now() < deadline) {
      depth = sum(parseExposition(await (await scrape(stack)).text()), 'bulwark_queue_depth', { deployment });
    }
    assert.equal(depth, 1);
    controller.abort();
    await holding;
    assert.equal((await waiting).status, 200);
    stack.simulator.faults.clear();
    const samples = parseExposition(await (await scrape(stack)).text());
    assert.equal(sum(samples, 'bulwark_queue_depth', { deployment }), 0);
    assert.equal(sum(samples, 'bulwark_queue_wait_seconds_count', { deployment, outcome: 'admitted' }), 1);
  });
});

describe('access to /metrics', () => {
  test('with metrics.token set, only a bearer of that token is served', async () => {
    const stack = await startStack({ topLevelYaml: 'metrics: { token: scrape-secret }' });
    try {
      const missing = await scrape(stack);
      assert.equal(missing.status, 401);
      assert.equal(missing.headers.get('www-authenticate'), 'Bearer');
      assert.doesNotMatch(await missing.text(), /bulwark_|scrape-secret/);
      assert.equal((await scrape(stack, { authorization: 'Bearer wrong' })).status, 401);
      assert.equal((await scrape(stack, { authorization: 'Basic scrape-secret' })).status, 401);
      const served = await scrape(stack, { authorization: 'Bearer scrape-secret' });
      assert.equal(served.status, 200);
      assert.match(served.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.match(await served.text(), /# TYPE bulwark_requests_total counter/);
    } finally {
      await stack.close();
    }
  });

  test('with metrics.enabled false there is no endpoint; other paths are untouched', async () => {
    const stack = await startStack({ topLevelYaml: 'metrics: { enabled: false }' });
    try {
      const response = await scrape(stack);
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'route_not_found');
    } finally {
      await stack.close();
    }
  });

  test('only GET /metrics itself answers', async () => {
    const stack = await startStack();
    try {
      for (const [method, path] of [['GET', '/metrics/extra'], ['POST', '/metrics'], ['GET', '/metricsx']] as const) {
        const response = await fetch(`${stack.bulwark.url}${path}`, { method });
        assert.equal(response.status, 404, `${method} ${path}`);
      }
      const withQuery = await fetch(`${stack.bulwark.url}/metrics?name[]=x`);
      assert.equal(withQuery.status, 200);
      assert.match(await withQuery.text(), /bulwark_requests_total/);
    } finally {
      await stack.close();
    }
  });
});
