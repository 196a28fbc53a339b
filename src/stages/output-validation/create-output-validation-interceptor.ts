import { GatewayError } from '../../core/errors/index.ts';
import type { ChatRequest, ChatResult } from '../../core/model/index.ts';
import type { AttemptCall, CallInterceptor } from '../../core/pipeline/call-interceptor.ts';
import { compileOutputValidationRules } from './compile-output-validation-rules.ts';
import type { OutputValidationOptions } from './output-validation-options.ts';
import { sharedSchemaValidatorCache, type SchemaValidatorCache } from './schema-validator-cache.ts';
import { validateResult } from './validate-result.ts';
import { validateStream } from './validate-stream.ts';
import type { ValidationFailure } from './validation-failure.ts';

export interface OutputValidationInterceptorOptions {
  /** The request as sent to the provider: its response format and tools are what the output must match. */
  request: ChatRequest;
  /** The route's options (global merged with the route's overrides), as validated by the config schema. */
  validation: OutputValidationOptions;
  /**
   * Every invalid whole result, re-asked or not. For the log and the usage ledger: the provider billed
   * those tokens although the caller never sees the result. Must not throw.
   */
  onInvalidResult?: (call: AttemptCall, failure: ValidationFailure, result: ChatResult) => void;
  /** A streamed answer failed validation at its end, after it reached the caller. Must not throw. */
  onStreamValidationFailure?: (call: AttemptCall, failure: ValidationFailure) => void;
  /**
   * A whole result, or a streamed answer at its end, passed validation: with the two callbacks above,
   * every verdict, for the request's quality signals. Must not throw.
   */
  onValidResult?: (call: AttemptCall) => void;
  schemas?: SchemaValidatorCache;
}

/**
 * Validates each attempt's output: the "200 OK with garbage" failure.
 *
 * Why an interceptor and not a stage: a stage may call `next` once, so it could only reject a bad
 * answer, never ask again; an interceptor wraps one attempt at one target and may call `next` as often
 * as it likes. An invalid result is asked for again up to `maxReasks` times, straight away (a bad answer
 * says nothing about load, so backing off would only add latency); when the re-asks are spent, the
 * attempt fails with `upstream_invalid_output`, which dispatch logs as a failed attempt and, the code
 * allowing fallback, answers by trying the next target.
 *
 * Where it goes: outermost, around the resilience interceptors (src/resilience/index.ts),
 *
 *   output validation → retry → circuit breaker → timeout → provider call
 *
 * so that each ask is one full try, with its own retries of transport failures, breaker admission and
 * timeout, and the retry interceptor never sees invalid output. The catalog marks
 * `upstream_invalid_output` retryable, which is true of it (sampling differs on each ask), so mounted
 * inside retry instead it would be retried there too: then set `maxReasks: 0` and let retry's backoff
 * and budget govern the re-asks. Never both, or the two multiply.
 *
 * A stream can only be judged at its end, after it reached the caller: it is never asked again, see
 * `validateStream`. The interceptor is built per request (`AttemptCall` does not carry the request);
 * compiling the rules is memoised per options object and schemas are cached, so that costs little.
 */
export const createOutputValidationInterceptor = (options: OutputValidationInterceptorOptions): CallInterceptor => {
  const { request, validation, onInvalidResult, onStreamValidationFailure, onValidResult } = options;
  if (!validation.enabled) return (next) => next;
  const rules = compileOutputValidationRules(validation);
  const schemas = options.schemas ?? sharedSchemaValidatorCache;
  // A stream needs watching only when someone hears of its verdict or a policy rule can end it.
  const watchStreams =
    onStreamValidationFailure !== undefined || onValidResult !== undefined || rules.maxOutputCharacters !== undefined || rules.prohibitedPatterns.length > 0;

  return (next) => async (call) => {
    for (let asks = 1; ; asks += 1) {
      const output = await next(call);
      if (output.type === 'stream') {
        if (!watchStreams) return output;
        const onFailure = (failure: ValidationFailure): void => onStreamValidationFailure?.(call, failure);
        const onPassed = onValidResult === undefined ? undefined : () => onValidResult(call);
        return { type: 'stream', events: validateStream(output.events, { request, rules, schemas, onFailure, onPassed }) };
      }
      const failure = validateResult(request, output.result, rules, schemas);
      if (failure === undefined) {
        onValidResult?.(call);
        return output;
      }
      onInvalidResult?.(call, failure, output.result);
      if (asks > validation.maxReasks || call.signal.aborted) {
        const tries = asks === 1 ? 'once' : `${asks} times`;
        throw new GatewayError('upstream_invalid_output', `The model's answer failed validation (${failure.reason}; asked ${tries}): ${failure.message}`, {
          upstreamStatus: 200,
        });
      }
    }
  };
};
