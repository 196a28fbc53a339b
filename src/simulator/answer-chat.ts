import type { ServerResponse } from 'node:http';
import type { ChatRequest } from '../core/model/index.ts';
import { applyContentFault } from './apply-content-fault.ts';
import { buildChatResult, buildStreamEvents, type AnswerEnvelope } from './build-chat-result.ts';
import { createRandom } from './deterministic-random.ts';
import { chatFormats, streamContentTypes } from './family-formats.ts';
import type { FaultName } from './fault-rule.ts';
import { timeToFirstToken, tokenDueAt, type LatencySettings } from './latency-model.ts';
import { planAnswer } from './plan-answer.ts';
import { familyStyles, type ProviderFamily } from './provider-family.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import { sendBody } from './send-response.ts';
import type { SimulatorContext } from './simulator-context.ts';
import { waitUnlessClosed } from './wait-unless-closed.ts';
import { writeChatStream } from './write-chat-stream.ts';

export interface ChatAnswer {
  family: ProviderFamily;
  /** The model as the provider knows it (Azure deployment, Gemini and Bedrock path model). */
  model: string;
  request: ChatRequest;
  stream: boolean;
  latency: LatencySettings;
  fault: FaultName | undefined;
  response: ServerResponse;
  headers: Record<string, string>;
}

/** Sends a complete JSON answer, or plays a transport fault on it. */
const sendResult = async (answer: ChatAnswer, body: string, headers: Record<string, string>): Promise<void> => {
  const { response, fault } = answer;
  if (fault === 'stream-cut') {
    // Promise the whole body, deliver half, then drop the connection.
    response.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    await new Promise<void>((resolve) => response.write(body.slice(0, Math.floor(body.length / 2)), () => resolve()));
    response.destroy();
    return;
  }
  const broken = fault === 'malformed-chunk' || (fault === 'invalid-json' && answer.request.responseFormat?.type !== 'json-schema');
  sendBody(response, 200, broken ? body.slice(0, Math.floor(body.length / 2)) : body, headers);
};

/** Plans the answer, counts it against the rate-limit window, and sends it whole or streamed. */
export const answerChat = async (context: SimulatorContext, answer: ChatAnswer): Promise<void> => {
  const { family, request, response, latency } = answer;
  const style = familyStyles[family];
  const planned = applyContentFault(
    planAnswer(request, { promptCache: context.promptCache, toolCallIdPrefix: style.toolCallIdPrefix, proseTokens: context.proseTokens }),
    answer.fault,
    request,
  );
  const envelope: AnswerEnvelope = {
    id: `${style.responseIdPrefix}sim${planned.seed.toString(36)}${context.nextSequence().toString(36)}`,
    model: answer.model,
    created: Math.floor(context.now() / 1000),
  };
  const snapshot = context.rateLimits.record(`${family}:${answer.model}`, planned.usage.inputTokens + planned.usage.outputTokens);
  const headers = { ...answer.headers, ...rateLimitHeaders(family, snapshot) };
  const ttftMs = timeToFirstToken(latency, createRandom(planned.seed ^ context.nextSequence()));
  const format = chatFormats[family];
  if (answer.stream) {
    response.writeHead(200, { ...headers, 'content-type': streamContentTypes[family], 'cache-control': 'no-cache' });
    const events = buildStreamEvents(planned, envelope);
    await writeChatStream({ response, family, encoder: format.createStreamEncoder(request), events, latency, ttftMs, fault: answer.fault });
    return;
  }
  const waitMs = ttftMs + tokenDueAt(latency, planned.usage.outputTokens);
  if (!(await waitUnlessClosed(response, waitMs))) return;
  const body = JSON.stringify(format.encodeResult(buildChatResult(planned, envelope)));
  await sendResult(answer, body, { ...headers, 'content-type': 'application/json' });
};
