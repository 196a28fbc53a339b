import { toGatewayError } from '../core/errors/index.ts';
import type { StreamEvent } from '../core/model/index.ts';
import { classifyCircuitOutcome, type CircuitOutcome } from './classify-circuit-outcome.ts';

/**
 * Passes a started stream through unchanged and reports, once, how it ended: `finish` is a success,
 * an `error` event is classified by its code (a stream that fails after its first event is the
 * deployment's failure as much as one that fails before it), a source that ends with neither was cut
 * off (a failure). A reader that stops early saw the deployment working up to then: a success.
 */
export async function* observeStreamOutcome(
  source: AsyncIterable<StreamEvent>,
  countRateLimits: boolean,
  settle: (outcome: CircuitOutcome) => void,
): AsyncGenerator<StreamEvent> {
  let outcome: CircuitOutcome | undefined;
  let sourceEnded = false;
  try {
    for await (const event of source) {
      if (event.type === 'error') outcome = classifyCircuitOutcome(event.code, countRateLimits);
      else if (event.type === 'finish') outcome ??= 'success';
      yield event;
    }
    sourceEnded = true;
  } catch (error) {
    outcome = classifyCircuitOutcome(toGatewayError(error).code, countRateLimits);
    throw error;
  } finally {
    settle(outcome ?? (sourceEnded ? 'failure' : 'success'));
  }
}
