import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createPriceCatalog } from '../../src/cost/price-catalog.ts';
import { backfillHistory } from '../../src/demo/backfill-history.ts';
import { dayMs } from '../../src/demo/daily-request-volume.ts';
import { demoKeys } from '../../src/demo/demo-keys.ts';
import { generateHistory, type HistoryOptions } from '../../src/demo/generate-history.ts';
import type { Stack } from './start-stack.ts';

/** Models for the dashboard stack's `models:` map: a route whose JSON output is validated. */
export const dashboardExtraModelsYaml = `  extract: { outputValidation: { maxReasks: 1 }, targets: [{ provider: sim-openai, model: gpt-extract }] }`;

/**
 * Budgets for the burn-down charts: the whole gateway, and one team of the synthesized history, sized
 * near what the history spends in a month (about $30, half of it support's) so the charts show a race.
 */
export const dashboardBudgetsYaml = `budgets:
  - { name: All traffic, monthlyUsd: 32 }
  - { name: Support team, team: support, monthlyUsd: 15 }`;

/** Answers with a little latency, so today's latency and time-to-first-token figures are not all zero. */
export const dashboardSimulatorLatency = { ttftMs: 40, tokensPerSecond: 2_000, jitterMs: 20 };

export interface ReplaySummary {
  /** Synthesized records written before today, and in today's hours before now. */
  historyRequests: number;
  /** Request ids of the real requests answered through the gateway (the failed ones are not kept). */
  liveRequestIds: string[];
}

const catalog = createPriceCatalog(JSON.parse(readFileSync(new URL('../../src/cost/prices.json', import.meta.url), 'utf8')));

/** The demo's teams' keys, created in the stack so that history is attributed to named keys and teams. */
const createDemoKeys = async (stack: Stack): Promise<Map<string, string>> => {
  const keyIds = new Map<string, string>();
  for (const profile of demoKeys) {
    const { key } = await stack.bulwark.keys.create({ name: profile.name, team: profile.team, models: Object.keys(profile.routes), priority: profile.priority });
    keyIds.set(profile.name, key.id);
  }
  return keyIds;
};

/**
 * Weeks of synthesized history through the stack's own request-log store (`backfillHistory`, as the
 * demo does), then today's hours up to a minute ago: the generator's day for "today + 1" minus its
 * future, so the 24-hour charts are full rather than empty until the live requests.
 */
const backfill = async (stack: Stack, days: number, now: number): Promise<number> => {
  const options: HistoryOptions = {
    days,
    today: Math.floor(now / dayMs),
    seed: 20_260_301,
    keyIds: await createDemoKeys(stack),
    lookupPrice: (providerType, model) => catalog.lookup(providerType, model),
    weekdayRequestsToday: 400,
  };
  const history = await backfillHistory(stack.bulwark.requestLog, options);
  const [today = []] = generateHistory({ ...options, days: 1, today: options.today + 1, seed: options.seed + 1 });
  const earlierToday = today.filter((record) => record.startedAt + record.latencyMs < now - 60_000);
  if (earlierToday.length > 0) await stack.bulwark.requestLog.append(earlierToday);
  return history.requests + earlierToday.length;
};

const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };

/**
 * Real requests through the gateway now: both SDKs, streamed and not, embeddings, a validated JSON
 * route, feedback on some answers, and failures (an unknown model, an upstream that keeps failing).
 */
const sendLiveTraffic = async (stack: Stack): Promise<string[]> => {
  const openai = new OpenAI({ apiKey: stack.key, baseURL: `${stack.bulwark.url}/v1`, maxRetries: 0 });
  const anthropic = new Anthropic({ apiKey: stack.key, baseURL: stack.bulwark.url, maxRetries: 0 });
  const ids: string[] = [];
  const idOf = (response: Response): string => {
    const id = response.headers.get('x-request-id');
    assert.ok(id, 'every answer names its request');
    ids.push(id);
    return id;
  };

  for (const [model, user] of [['gpt', 'alice'], ['gpt', 'bob'], ['claude', 'alice'], ['gemini', 'carol']] as const) {
    const { response } = await openai.chat.completions.create({ model, user, messages: [{ role: 'user', content: `hello from ${user}` }] }).withResponse();
    idOf(response);
  }
  for (const model of ['gpt', 'azure-gpt']) {
    const { data: stream, response } = await openai.chat.completions
      .create({ model, stream: true, stream_options: { include_usage: true }, user: 'dave', messages: [{ role: 'user', content: 'stream to the dashboard' }] })
      .withResponse();
    for await (const chunk of stream) assert.ok(chunk.object === 'chat.completion.chunk');
    idOf(response);
  }
  const { response: embedded } = await openai.embeddings.create({ model: 'embedding', input: ['a dashboard'] }).withResponse();
  idOf(embedded);
  const { response: extracted } = await openai.chat.completions
    .create({ model: 'extract', response_format: { type: 'json_schema', json_schema: { name: 'person', schema } }, messages: [{ role: 'user', content: 'Extract the name.' }] })
    .withResponse();
  const extractId = idOf(extracted);

  const { response: message } = await anthropic.messages
    .create({ model: 'claude', max_tokens: 128, metadata: { user_id: 'erin' }, messages: [{ role: 'user', content: 'hello from the Anthropic SDK' }] })
    .withResponse();
  const messageId = idOf(message);
  const { data: events, response: streamedMessage } = await anthropic.messages
    .create({ model: 'bedrock', max_tokens: 128, stream: true, messages: [{ role: 'user', content: 'stream from the Anthropic SDK' }] })
    .withResponse();
  for await (const event of events) assert.ok(typeof event.type === 'string');
  idOf(streamedMessage);

  await assert.rejects(openai.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => {
    assert.ok(error instanceof OpenAI.APIError && error.status === 404, String(error));
    return true;
  });
  stack.simulator.faults.set([{ fault: 'server-error', model: 'gpt-4o-mini' }]);
  try {
    await assert.rejects(openai.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'the upstream fails' }] }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError && error.status !== undefined && error.status >= 500, String(error));
      return true;
    });
  } finally {
    stack.simulator.faults.clear();
  }

  await stack.bulwark.flushRequestLog();
  for (const [requestId, score, comment] of [[extractId, 1, 'exactly the fields asked for'], [messageId, 0.4, 'too long-winded']] as const) {
    const feedback = await fetch(`${stack.bulwark.url}/v1/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: requestId, score, comment }),
    });
    assert.equal(feedback.status, 201, await feedback.text());
  }
  return ids;
};

/**
 * Fills a stack's database for the dashboard: `days` of history, then real traffic, flushed so every
 * page's first load sees it.
 */
export const replayDashboardTraffic = async (stack: Stack, { days = 21, now = Date.now() } = {}): Promise<ReplaySummary> => {
  const historyRequests = await backfill(stack, days, now);
  const liveRequestIds = await sendLiveTraffic(stack);
  await stack.bulwark.flushRequestLog();
  return { historyRequests, liveRequestIds };
};
