import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError, isGatewayError } from '../../core/errors/index.ts';
import type { StreamEvent } from '../../core/model/index.ts';
import type { GatewayResponse } from '../../core/pipeline/gateway-response.ts';
import type { Principal } from '../../core/pipeline/request-context.ts';
import { anthropicMessagesFormat } from '../../formats/anthropic-messages/index.ts';
import { openaiChatFormat } from '../../formats/openai-chat/index.ts';
import { createKeyLimitsStage, type KeyLimitsStageOptions } from './create-key-limits-stage.ts';
import type { KeyLimits } from './key-limits-schema.ts';
import { contextOf, principalOf, requestOf, resultWith, streamEventsWith, trackedStream } from './testing/admission-fixtures.ts';
import { createFakeConcurrencyStore, createFakeRateLimitStore } from './testing/fake-shared-state.ts';

const setup = (limits: KeyLimits | undefined, overrides: Partial<KeyLimitsStageOptions> = {}) => {
  let now = 1_700_000_000_000;
  const store = createFakeRateLimitStore();
  const concurrency = createFakeConcurrencyStore();
  const stage = createKeyLimitsStage({ store, concurrency, limitsFor: () => limits, now: () => now, ...overrides });
  return {
    store,
    concurrency,
    stage,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
};

const answer = (inputTokens = 10, outputTokens = 5) => async (): Promise<GatewayResponse> => ({ type: 'result', result: resultWith({ inputTokens, outputTokens }) });

const rejectsLimited = async (promise: Promise<unknown>, message: RegExp): Promise<GatewayError> => {
  let caught: unknown;
  await promise.catch((error: unknown) => {
    caught = error;
  });
  assert.ok(isGatewayError(caught), 'expected a GatewayError');
  assert.equal(caught.code, 'key_rate_limited');
  assert.equal(caught.status, 429);
  assert.match(caught.message, message);
  return caught;
};

const drain = async (events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> => {
  const seen: StreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
};

const alice = principalOf('vk_alice');
const aliceContext = () => contextOf(requestOf(40), alice);

test('requests per minute: the third request in a 2-per-minute minute is refused with the wait for one token', async () => {
  const { stage, advance } = setup({ requestsPerMinute: 2 });
  await stage.run(aliceContext(), answer());
  await stage.run(aliceContext(), answer());
  const error = await rejectsLimited(stage.run(aliceContext(), answer()), /2 requests per minute/);
  assert.equal(error.retryAfterSeconds, 30);
  advance(30_000);
  await stage.run(aliceContext(), answer());
});

test('keys are limited independently', async () => {
  const { stage } = setup({ requestsPerMinute: 1 });
  await stage.run(contextOf(requestOf(40), alice), answer());
  await stage.run(contextOf(requestOf(40), principalOf('vk_bob')), answer());
  await rejectsLimited(stage.run(contextOf(requestOf(40), alice), answer()), /requests per minute/);
});

test('tokens per minute: charged with the estimate up front, settled with the real usage after the result', async () => {
  const { stage, store } = setup({ tokensPerMinute: 1000 });
  // 400 characters → 100 tokens, + 4 of message framing, + max_tokens 500 = 604 estimated.
  let levelDuringCall: number | undefined;
  await stage.run(contextOf(requestOf(400, 500), alice), async () => {
    levelDuringCall = store.level('key:vk_alice:tpm');
    return answer(104, 20)();
  });
  assert.equal(levelDuringCall, 1000 - 604);
  assert.equal(store.level('key:vk_alice:tpm'), 1000 - 124);
});

test('tokens per minute: a request whose estimate does not fit waits for the deficit to refill', async () => {
  const { stage } = setup({ tokensPerMinute: 1200 });
  await stage.run(contextOf(requestOf(400, 500), alice), answer(500, 200));
  // 500 left; the next estimate is 604: 104 tokens short at 20 tokens/second.
  const error = await rejectsLimited(stage.run(contextOf(requestOf(400, 500), alice), answer()), /1200 tokens per minute/);
  assert.ok(Math.abs((error.retryAfterSeconds ?? 0) - 5.2) < 1e-9, `retry after ${error.retryAfterSeconds}`);
});

test('without max_tokens the default output allowance is charged', async () => {
  const { stage, store } = setup({ tokensPerMinute: 10_000 }, { defaultOutputTokens: 2000 });
  let levelDuringCall: number | undefined;
  await stage.run(contextOf(requestOf(400), alice), async () => {
    levelDuringCall = store.level('key:vk_alice:tpm');
    return answer()();
  });
  assert.equal(levelDuringCall, 10_000 - 104 - 2000);
});

test('an estimate larger than the whole bucket takes the full bucket, and settlement takes the rest', async () => {
  const { stage, store } = setup({ tokensPerMinute: 100 });
  await stage.run(contextOf(requestOf(400, 500), alice), answer(250, 50));
  assert.equal(store.level('key:vk_alice:tpm'), -200);
  await rejectsLimited(stage.run(contextOf(requestOf(4, 1), alice), answer()), /tokens per minute/);
});

test('a failed call gives back its whole token estimate but still counts as a request', async () => {
  const { stage, store } = setup({ requestsPerMinute: 10, tokensPerMinute: 1000 });
  const failure = new GatewayError('upstream_server_error', 'boom');
  await assert.rejects(stage.run(contextOf(requestOf(400, 500), alice), async () => Promise.reject(failure)), failure);
  assert.equal(store.level('key:vk_alice:tpm'), 1000);
  assert.equal(store.level('key:vk_alice:rpm'), 9);
});

test('concurrency: a second request while the first is in flight is refused, and its rate charges are given back', async () => {
  const { stage, store, concurrency, now } = setup({ requestsPerMinute: 10, maxConcurrent: 1 });
  let finishFirst: (() => void) | undefined;
  const first = stage.run(contextOf(requestOf(40), alice), () => new Promise((resolve) => {
    finishFirst = () => resolve({ type: 'result', result: resultWith({ inputTokens: 1, outputTokens: 1 }) });
  }));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(concurrency.held('key:vk_alice:concurrent', now()), 1);
  const error = await rejectsLimited(stage.run(contextOf(requestOf(40), alice), answer()), /1 requests in flight/);
  assert.equal(error.retryAfterSeconds, 1);
  assert.equal(store.level('key:vk_alice:rpm'), 9, 'the refused request did not keep its request token');
  finishFirst?.();
  await first;
  assert.equal(concurrency.held('key:vk_alice:concurrent', now()), 0);
  await stage.run(contextOf(requestOf(40), alice), answer());
});

test('a stream is settled with its usage when it ends, and holds its concurrency slot until then', async () => {
  const { stage, store, concurrency, now } = setup({ tokensPerMinute: 1000, maxConcurrent: 1 });
  const source = trackedStream(streamEventsWith('hello', { inputTokens: 104, outputTokens: 6 }));
  const response = await stage.run(contextOf(requestOf(400, 500, true), alice), async () => ({ type: 'stream', events: source }));
  assert.equal(response.type, 'stream');
  if (response.type !== 'stream') return;
  assert.equal(store.level('key:vk_alice:tpm'), 1000 - 604, 'not settled before the stream ends');
  assert.equal(concurrency.held('key:vk_alice:concurrent', now()), 1);
  const events = await drain(response.events);
  assert.equal(events.length, 4, 'events pass through unchanged');
  assert.equal(store.level('key:vk_alice:tpm'), 1000 - 110);
  assert.equal(concurrency.held('key:vk_alice:concurrent', now()), 0);
});

test('an abandoned stream stops its source, is charged input plus what it generated, and frees its slot', async () => {
  const { stage, store, concurrency, now } = setup({ tokensPerMinute: 1000, maxConcurrent: 1 });
  const source = trackedStream(streamEventsWith('x'.repeat(40), { inputTokens: 104, outputTokens: 10 }));
  const response = await stage.run(contextOf(requestOf(400, 500, true), alice), async () => ({ type: 'stream', events: source }));
  if (response.type !== 'stream') throw new Error('expected a stream');
  for await (const event of response.events) if (event.type === 'text-delta') break;
  assert.equal(source.returned, true);
  // 104 estimated input + 40 characters / 4.
  assert.equal(store.level('key:vk_alice:tpm'), 1000 - 114);
  assert.equal(concurrency.held('key:vk_alice:concurrent', now()), 0);
});

test('a stream never read but returned (the client left before the first write) is settled too', async () => {
  const { stage, concurrency, now } = setup({ maxConcurrent: 1 });
  const source = trackedStream(streamEventsWith('hi', undefined));
  const response = await stage.run(contextOf(requestOf(4, 10, true), alice), async () => ({ type: 'stream', events: source }));
  if (response.type !== 'stream') throw new Error('expected a stream');
  await response.events[Symbol.asyncIterator]().return?.();
  assert.equal(source.returned, true);
  assert.equal(concurrency.held('key:vk_alice:concurrent', now()), 0);
});

test('a stream whose source throws is settled before the error reaches the consumer', async () => {
  const { stage, store, concurrency, now } = setup({ tokensPerMinute: 1000, maxConcurrent: 1 });
  const source = trackedStream(streamEventsWith('x'.repeat(8), undefined), 2);
  const response = await stage.run(contextOf(requestOf(400, 500, true), alice), async () => ({ type: 'stream', events: source }));
  if (response.type !== 'stream') throw new Error('expected a stream');
  await assert.rejects(drain(response.events), /connection reset/);
  assert.equal(store.level('key:vk_alice:tpm'), 1000 - 106);
  assert.equal(concurrency.held('key:vk_alice:concurrent', now()), 0);
});

test('a failed settlement is reported, not thrown at a caller who already has the answer', async () => {
  const reported: unknown[] = [];
  const { stage, store } = setup({ tokensPerMinute: 1000 }, { onStoreError: (error) => reported.push(error) });
  store.adjust = async () => Promise.reject(new Error('store down'));
  const response = await stage.run(contextOf(requestOf(40), alice), answer());
  assert.equal(response.type, 'result');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(reported.length, 1);
});

test('no principal (auth off) or no limits: the stage does not touch the stores', async () => {
  for (const [limits, principal] of [[{ requestsPerMinute: 1 }, undefined], [undefined, alice], [{}, alice]] as Array<[KeyLimits | undefined, Principal | undefined]>) {
    const { stage, store } = setup(limits);
    await stage.run(contextOf(requestOf(40), principal), answer());
    await stage.run(contextOf(requestOf(40), principal), answer());
    assert.equal(store.calls.consume, 0);
  }
});

test('the refusal reaches OpenAI and Anthropic callers as their 429 rate_limit_error with Retry-After', async () => {
  const { stage } = setup({ requestsPerMinute: 1 });
  await stage.run(contextOf(requestOf(40), alice), answer());
  const error = await rejectsLimited(stage.run(contextOf(requestOf(40), alice), answer()), /per minute/);
  for (const format of [openaiChatFormat, anthropicMessagesFormat]) {
    const encoded = format.encodeError(error);
    assert.equal(encoded.status, 429);
    assert.match(JSON.stringify(encoded.body), /"rate_limit_error"/);
  }
  assert.equal(openaiChatFormat.encodeError(error).headers?.['retry-after'], '60');
});
