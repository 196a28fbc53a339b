import type { ChatResult, StreamEvent } from '../../core/model/index.ts';
import type { GatewayResponse } from '../../core/pipeline/gateway-response.ts';

export interface DegradedAnswer {
  /** The request's id: the answer's id is `degraded-<requestId>`, so logs and callers can tell it apart. */
  requestId: string;
  /** The model the caller asked for. */
  model: string;
  message: string;
  stream: boolean;
}

const degradedEvents = async function* (result: ChatResult, message: string): AsyncGenerator<StreamEvent, undefined> {
  yield { type: 'stream-start', id: result.id, model: result.model, created: result.created };
  yield { type: 'text-delta', text: message };
  yield { type: 'finish', finishReason: 'stop' };
  // Explicit zero usage: without it the stream meter would estimate, and bill, the tokens of the message.
  yield { type: 'usage', usage: result.usage };
};

/** The configured message as an ordinary answer (or stream of one), costing nothing. */
export const degradedResponse = ({ requestId, model, message, stream }: DegradedAnswer): GatewayResponse => {
  const result: ChatResult = {
    id: `degraded-${requestId}`,
    model,
    created: Math.floor(Date.now() / 1000),
    content: [{ type: 'text', text: message }],
    finishReason: 'stop',
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  return stream ? { type: 'stream', events: degradedEvents(result, message) } : { type: 'result', result };
};
