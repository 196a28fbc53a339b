import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isGatewayError, type AttemptFailure } from '../../core/errors/index.ts';
import type { ChatRequest, ChatResult, StreamEvent } from '../../core/model/index.ts';
import { composeInterceptors, type AttemptCall, type AttemptFunction, type AttemptOutput } from '../../core/pipeline/call-interceptor.ts';
import { createEventSink } from '../../core/telemetry/event-sink.ts';
import { dispatchToTargets } from '../../resilience/dispatch-to-targets.ts';
import type { RouteTarget } from '../../routing/model-router.ts';
import { createOutputValidationInterceptor, type OutputValidationInterceptorOptions } from './create-output-validation-interceptor.ts';
import { outputValidationOptionsSchema } from './output-validation-options.ts';
import type { ValidationFailure } from './validation-failure.ts';

const jsonRequest: ChatRequest = {
  model: 'extract',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Extract the name.' }] }],
  sampling: {},
  stream: false,
  responseFormat: { type: 'json-schema', name: 'person', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
};

const call = (signal: AbortSignal = new AbortController().signal): AttemptCall => ({
  requestId: 'req-1', provider: 'primary', model: 'gpt-test', stream: false, signal, priority: 'normal', estimatedTokens: 10,
});

const answer = (text: string): AttemptOutput => ({
  type: 'result',
  result: { id: 'r', model: 'gpt-test', created: 0, content: [{ type: 'text', text }], finishReason: 'stop', usage: { inputTokens: 5, outputTokens: 3 } },
});

/** An attempt that answers with the given outputs in turn, counting its calls. */
const scripted = (...outputs: AttemptOutput[]): AttemptFunction & { calls: number } => {
  const attempt = Object.assign(async (): Promise<AttemptOutput> => {
    const output = outputs[attempt.calls] ?? outputs.at(-1);
    attempt.calls += 1;
    if (output === undefined) throw new Error('script is empty');
    return output;
  }, { calls: 0 });
  return attempt;
};

const validated = (attempt: AttemptFunction, options: Partial<OutputValidationInterceptorOptions> & { settings?: unknown } = {}): AttemptFunction => {
  const { settings, ...rest } = options;
  const interceptor = createOutputValidationInterceptor({ request: jsonRequest, validation: outputValidationOptionsSchema.parse(settings ?? {}), ...rest });
  return composeInterceptors([interceptor], attempt);
};

describe('whole results', () => {
  test('a valid result passes through untouched, asked once', async () => {
    const good = answer('{"name":"Ada"}');
    const attempt = scripted(good);
    assert.equal(await validated(attempt)(call()), good);
    assert.equal(attempt.calls, 1);
  });

  test('an invalid result is asked again, and the valid second answer is returned', async () => {
    const good = answer('{"name":"Ada"}');
    const attempt = scripted(answer('Ada'), good);
    const invalid: ValidationFailure[] = [];
    const output = await validated(attempt, { onInvalidResult: (_call, failure) => invalid.push(failure) })(call());
    assert.equal(output, good);
    assert.equal(attempt.calls, 2);
    assert.deepEqual(invalid.map((failure) => failure.reason), ['invalid-json']);
  });

  test('when the re-asks are spent the attempt fails with upstream_invalid_output, naming the reason but not the content', async () => {
    const attempt = scripted(answer('{"nom":"Ada Lovelace"}'));
    const invalid: ChatResult[] = [];
    await assert.rejects(validated(attempt, { settings: { maxReasks: 2 }, onInvalidResult: (_call, _failure, result) => invalid.push(result) })(call()), (error) => {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'upstream_invalid_output');
      assert.equal(error.status, 502);
      assert.equal(error.spec.fallback, true);
      assert.equal(error.upstreamStatus, 200);
      assert.match(error.message, /schema-mismatch; asked 3 times/);
      assert.doesNotMatch(error.message, /Lovelace/);
      return true;
    });
    assert.equal(attempt.calls, 3);
    assert.equal(invalid.length, 3, 'every invalid result is reported, for the log and the ledger');
    assert.equal(invalid[0]?.usage.outputTokens, 3);
  });

  test('maxReasks 0 fails on the first invalid result (re-asks left to the retry interceptor)', async () => {
    const attempt = scripted(answer('not json'));
    await assert.rejects(validated(attempt, { settings: { maxReasks: 0 } })(call()), /asked once/);
    assert.equal(attempt.calls, 1);
  });

  test('a caller that has gone away is not asked for again', async () => {
    const controller = new AbortController();
    controller.abort();
    const attempt = scripted(answer('not json'));
    await assert.rejects(validated(attempt, { settings: { maxReasks: 3 } })(call(controller.signal)), /upstream_invalid_output|failed validation/);
    assert.equal(attempt.calls, 1);
  });

  test('disabled, nothing is checked', async () => {
    const bad = answer('not json');
    assert.equal(await validated(scripted(bad), { settings: { enabled: false } })(call()), bad);
  });

  test('configured rules apply: a prohibited pattern fails the attempt', async () => {
    const attempt = scripted(answer('{"name":"ACME-INTERNAL"}'));
    await assert.rejects(validated(attempt, { settings: { maxReasks: 0, prohibitedPatterns: ['INTERNAL'] } })(call()), /prohibited-pattern/);
  });

  test('errors of the attempt itself pass through without a re-ask', async () => {
    let calls = 0;
    const failing: AttemptFunction = async () => {
      calls += 1;
      throw new Error('connection reset');
    };
    await assert.rejects(validated(failing)(call()), /connection reset/);
    assert.equal(calls, 1);
  });
});

const target = (name: string): RouteTarget => ({ provider: { name } as RouteTarget['provider'], model: `${name}-model`, price: undefined, weight: 1 });

describe('with dispatch', () => {

  test('an invalid output is logged as a failed attempt and the next target serves the request', async () => {
    const events = createEventSink();
    const published: AttemptFailure[] = [];
    events.subscribe('attempt-failed', (event) => published.push(event.failure));
    const context = { requestId: 'req-1', signal: new AbortController().signal, attemptFailures: [] as AttemptFailure[], attempts: 0 };
    const answers: Record<string, AttemptOutput> = { primary: answer('I am not JSON'), fallback: answer('{"name":"Ada"}') };
    const output = await dispatchToTargets({
      context,
      targets: [target('primary'), target('fallback')],
      events,
      attempt: (routeTarget) => validated(async () => answers[routeTarget.provider.name] ?? answer(''), { settings: { maxReasks: 0 } })(call()),
    });
    assert.equal(output.type === 'result' && output.result.content[0]?.type === 'text' ? output.result.content[0].text : undefined, '{"name":"Ada"}');
    assert.equal(context.attempts, 2);
    assert.deepEqual(context.attemptFailures.map((failure) => [failure.provider, failure.code, failure.upstreamStatus]), [['primary', 'upstream_invalid_output', 200]]);
    assert.deepEqual(published, context.attemptFailures);
  });
});

const stream = (...events: StreamEvent[]): AttemptOutput => ({
  type: 'stream',
  events: (async function* () {
    yield* events;
  })(),
});
const collect = async (output: AttemptOutput): Promise<StreamEvent[]> => {
  assert.equal(output.type, 'stream');
  const events: StreamEvent[] = [];
  if (output.type === 'stream') for await (const event of output.events) events.push(event);
  return events;
};

describe('streams', () => {
  const start: StreamEvent = { type: 'stream-start', id: 's', model: 'gpt-test', created: 0 };
  const finish: StreamEvent = { type: 'finish', finishReason: 'stop' };

  test('an invalid json-schema stream is reported at its end and left as it is, never asked again', async () => {
    const sent: StreamEvent[] = [start, { type: 'text-delta', text: 'Ada' }, finish];
    const attempt = scripted(stream(...sent));
    const failures: Array<[AttemptCall, ValidationFailure]> = [];
    const attemptCall = call();
    const output = await validated(attempt, { onStreamValidationFailure: (streamCall, failure) => failures.push([streamCall, failure]) })(attemptCall);
    assert.deepEqual(await collect(output), sent);
    assert.equal(attempt.calls, 1);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]?.[0], attemptCall);
    assert.equal(failures[0]?.[1].reason, 'invalid-json');
  });

  test('a valid stream is reported nowhere', async () => {
    const failures: ValidationFailure[] = [];
    const output = await validated(scripted(stream(start, { type: 'text-delta', text: '{"name":' }, { type: 'text-delta', text: '"Ada"}' }, finish)), {
      onStreamValidationFailure: (_call, failure) => failures.push(failure),
    })(call());
    assert.equal((await collect(output)).length, 4);
    assert.deepEqual(failures, []);
  });

  test('with no listener and no policy rule, the stream is not wrapped at all', async () => {
    const original = stream(start, finish);
    assert.equal(await validated(scripted(original))(call()), original);
  });
});

/** Runs an attempt with every verdict callback, returning the verdicts in order. */
const verdictsOf = async (attempt: AttemptFunction, settings: unknown = {}): Promise<string[]> => {
  const verdicts: string[] = [];
  const run = validated(attempt, {
    settings,
    onValidResult: () => verdicts.push('valid'),
    onInvalidResult: () => verdicts.push('invalid'),
    onStreamValidationFailure: () => verdicts.push('stream-invalid'),
  });
  const output = await run(call()).catch(() => undefined);
  if (output?.type === 'stream') await collect(output);
  return verdicts;
};

describe('verdicts, for the request\'s quality signals', () => {
  const start: StreamEvent = { type: 'stream-start', id: 's', model: 'gpt-test', created: 0 };
  const finish: StreamEvent = { type: 'finish', finishReason: 'stop' };

  test('a valid first result: one valid verdict', async () => {
    assert.deepEqual(await verdictsOf(scripted(answer('{"name":"Ada"}'))), ['valid']);
  });

  test('an invalid result re-asked into a valid one: invalid, then valid', async () => {
    assert.deepEqual(await verdictsOf(scripted(answer('Ada'), answer('{"name":"Ada"}'))), ['invalid', 'valid']);
  });

  test('re-asks spent: only invalid verdicts', async () => {
    assert.deepEqual(await verdictsOf(scripted(answer('Ada')), { maxReasks: 1 }), ['invalid', 'invalid']);
  });

  test('a stream is judged at its end: valid, or stream-invalid', async () => {
    assert.deepEqual(await verdictsOf(scripted(stream(start, { type: 'text-delta', text: '{"name":"Ada"}' }, finish))), ['valid']);
    assert.deepEqual(await verdictsOf(scripted(stream(start, { type: 'text-delta', text: 'Ada' }, finish))), ['stream-invalid']);
  });

  test('a stream cut off before its finish gets no verdict', async () => {
    assert.deepEqual(await verdictsOf(scripted(stream(start, { type: 'text-delta', text: '{"na' }))), []);
  });

  test('validation disabled: no verdict at all', async () => {
    assert.deepEqual(await verdictsOf(scripted(answer('Ada')), { enabled: false }), []);
  });
});
