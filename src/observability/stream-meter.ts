import { GatewayError, toGatewayError } from '../core/errors/index.ts';
import type { FinishReason, StreamEvent, TokenUsage } from '../core/model/index.ts';

/** What a stream turned out to be, known once it has ended. */
export interface StreamOutcome {
  usage: TokenUsage | undefined;
  /** Text and tool-call arguments generated, for estimating usage when the provider sent none. */
  generatedText: string;
  finishReason?: FinishReason;
  error?: { code: string; message: string };
  /** Monotonic ms from the start of the request to the first content event. */
  timeToFirstTokenMs?: number;
  /** True when the consumer stopped reading before the stream ended (the client went away). */
  abandoned: boolean;
}

/**
 * Passes a stream through unchanged while measuring it, and reports the outcome exactly once when the
 * stream ends for any reason: finished, failed, cut off, or abandoned by the consumer. Stopping the
 * consumer's iteration also stops the source (its `return()` runs), which cancels the upstream call.
 */
export async function* meterStream(
  source: AsyncIterable<StreamEvent>,
  startedAtMonotonic: number,
  onEnd: (outcome: StreamOutcome) => void,
): AsyncGenerator<StreamEvent> {
  const outcome: StreamOutcome = { usage: undefined, generatedText: '', abandoned: true };
  let ended = false;
  try {
    for await (const event of source) {
      switch (event.type) {
        case 'text-delta':
        case 'reasoning-delta':
          outcome.generatedText += event.text;
          outcome.timeToFirstTokenMs ??= performance.now() - startedAtMonotonic;
          break;
        case 'tool-call-start':
          outcome.generatedText += event.name;
          outcome.timeToFirstTokenMs ??= performance.now() - startedAtMonotonic;
          break;
        case 'tool-call-delta':
          outcome.generatedText += event.argumentsDelta;
          break;
        case 'usage':
          outcome.usage = event.usage;
          break;
        case 'finish':
          outcome.finishReason = event.finishReason;
          break;
        case 'error':
          outcome.error = { code: event.code, message: event.message };
          break;
        case 'stream-start':
          break;
      }
      yield event;
    }
    if (outcome.finishReason === undefined && outcome.error === undefined) {
      yield recordError(outcome, new GatewayError('upstream_stream_interrupted', 'The provider stream ended before it finished.'));
    }
    ended = true;
    outcome.abandoned = false;
  } catch (thrown) {
    if (ended || outcome.error !== undefined) throw thrown;
    // A source that throws instead of yielding an error event still reaches the caller as an error event.
    ended = true;
    outcome.abandoned = false;
    yield recordError(outcome, toGatewayError(thrown));
  } finally {
    if (!ended) outcome.abandoned = true;
    onEnd(outcome);
  }
}

const recordError = (outcome: StreamOutcome, error: GatewayError): StreamEvent => {
  outcome.error = { code: error.code, message: error.message };
  return { type: 'error', code: error.code, message: error.message };
};
