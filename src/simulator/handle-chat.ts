import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isGatewayError } from '../core/errors/index.ts';
import type { ChatRequest } from '../core/model/index.ts';
import { answerChat } from './answer-chat.ts';
import { chatFormats } from './family-formats.ts';
import { errorKindOfFault, faultMessage } from './fault-error.ts';
import type { FaultName } from './fault-rule.ts';
import { hasCredentials } from './has-credentials.ts';
import type { SimulatorRoute } from './match-route.ts';
import type { ProviderFamily } from './provider-family.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import { readJsonBody } from './read-json-body.ts';
import { readRequestControls } from './read-request-controls.ts';
import { requestIdHeaders } from './request-id-headers.ts';
import { sendProviderError } from './send-response.ts';
import type { SimulatorContext } from './simulator-context.ts';

type ChatRoute = Extract<SimulatorRoute, { kind: 'chat' }>;

/** Decodes the request with the family's codec, or answers the provider's 400 and returns undefined. */
const decodeChat = async (context: SimulatorContext, route: ChatRoute, request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): Promise<ChatRequest | undefined> => {
  const body = await readJsonBody(request, context.maxBodyBytes);
  if (!body.ok) {
    sendProviderError(response, route.family, 'invalid-request', body.message, headers);
    return undefined;
  }
  try {
    const decodeContext = { ...(route.model === undefined ? {} : { model: route.model }), ...(route.stream === undefined ? {} : { stream: route.stream }) };
    return chatFormats[route.family].decodeRequest(body.value, decodeContext);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    sendProviderError(response, route.family, 'invalid-request', error.message, headers);
    return undefined;
  }
};

/** Answers an error fault (429, 5xx) the provider's way; false when the fault is not an error. */
const answerErrorFault = (context: SimulatorContext, family: ProviderFamily, model: string, fault: FaultName | undefined, response: ServerResponse, headers: Record<string, string>): boolean => {
  const kind = errorKindOfFault(fault);
  if (kind === undefined) return false;
  const snapshot = context.rateLimits.peek(`${family}:${model}`);
  const enforcedWait = Math.max(1, Math.ceil(snapshot.resetInMs / 1000));
  const retryAfter = context.rateLimits.enforced && snapshot.requestsRemaining === 0 ? enforcedWait : context.retryAfterSeconds;
  const limitHeaders = kind === 'rate-limit' ? rateLimitHeaders(family, { ...snapshot, requestsRemaining: 0 }) : {};
  const message = faultMessage(family, kind, model, snapshot.requestsLimit, retryAfter);
  sendProviderError(response, family, kind, message, { ...headers, ...limitHeaders }, retryAfter);
  return true;
};

/**
 * One chat request to any family: credentials, body, the codec's decoding, then either an injected
 * fault or the simulated answer in the family's format.
 */
export const handleChat = async (context: SimulatorContext, route: ChatRoute, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> => {
  const { family } = route;
  const headers = requestIdHeaders(family, context);
  if (!hasCredentials(family, request.headers, url.searchParams)) {
    sendProviderError(response, family, 'authentication', 'Missing or malformed credentials for this API', headers);
    return;
  }
  const chatRequest = await decodeChat(context, route, request, response, headers);
  if (chatRequest === undefined) return;
  const controls = readRequestControls(request.headers, context.latency);
  if (!controls.ok) {
    sendProviderError(response, family, 'invalid-request', controls.message, headers);
    return;
  }
  const model = route.model ?? chatRequest.model;
  let fault = controls.fault ?? context.faults.pick(model);
  if (fault === undefined && context.rateLimits.enforced && context.rateLimits.isExhausted(`${family}:${model}`)) fault = 'rate-limit';
  if (fault !== undefined) context.recordFault(fault, route.name);
  if (answerErrorFault(context, family, model, fault, response, headers)) return;
  if (fault === 'hang') {
    await once(response, 'close');
    return;
  }
  if (fault === 'reset') {
    request.socket.resetAndDestroy();
    return;
  }
  await answerChat(context, { family, model, request: chatRequest, stream: route.stream ?? chatRequest.stream, latency: controls.latency, fault, response, headers });
};
