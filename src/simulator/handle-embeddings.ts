import type { IncomingMessage, ServerResponse } from 'node:http';
import { isGatewayError } from '../core/errors/index.ts';
import type { EmbeddingRequest, EmbeddingResult } from '../core/model/index.ts';
import { countTextTokens } from './count-tokens.ts';
import { embedText } from './embed-text.ts';
import { embeddingFormats } from './family-formats.ts';
import { errorKindOfFault, faultMessage } from './fault-error.ts';
import { hasCredentials } from './has-credentials.ts';
import type { SimulatorRoute } from './match-route.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import { readJsonBody } from './read-json-body.ts';
import { readRequestControls } from './read-request-controls.ts';
import { requestIdHeaders } from './request-id-headers.ts';
import { sendJson, sendProviderError } from './send-response.ts';
import type { SimulatorContext } from './simulator-context.ts';

type EmbeddingsRoute = Extract<SimulatorRoute, { kind: 'embeddings' }>;

const decodeEmbeddings = async (context: SimulatorContext, route: EmbeddingsRoute, request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): Promise<EmbeddingRequest | undefined> => {
  const body = await readJsonBody(request, context.maxBodyBytes);
  if (!body.ok) {
    sendProviderError(response, route.family, 'invalid-request', body.message, headers);
    return undefined;
  }
  // Azure names the deployment in the path; its bodies carry no model, which the codec requires.
  const value = route.model !== undefined && typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value) && !('model' in body.value)
    ? { ...body.value, model: route.model }
    : body.value;
  try {
    return embeddingFormats[route.family].decodeRequest(value);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    sendProviderError(response, route.family, 'invalid-request', error.message, headers);
    return undefined;
  }
};

/**
 * Embeddings for OpenAI, Azure and Gemini: deterministic feature-hashed unit vectors, usage counted
 * with the tokenizer. Error faults apply as for chat; the others have no meaning for a JSON answer
 * this small and are ignored.
 */
export const handleEmbeddings = async (context: SimulatorContext, route: EmbeddingsRoute, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> => {
  const { family } = route;
  const headers = requestIdHeaders(family, context);
  if (!hasCredentials(family, request.headers, url.searchParams)) {
    sendProviderError(response, family, 'authentication', 'Missing or malformed credentials for this API', headers);
    return;
  }
  const embeddingRequest = await decodeEmbeddings(context, route, request, response, headers);
  if (embeddingRequest === undefined) return;
  const controls = readRequestControls(request.headers, context.latency);
  if (!controls.ok) {
    sendProviderError(response, family, 'invalid-request', controls.message, headers);
    return;
  }
  const model = route.model ?? embeddingRequest.model;
  const fault = controls.fault ?? context.faults.pick(model);
  if (fault !== undefined) context.recordFault(fault, route.name);
  const kind = errorKindOfFault(fault);
  if (kind !== undefined) {
    const message = faultMessage(family, kind, model, context.rateLimits.peek(`${family}:${model}`).requestsLimit, context.retryAfterSeconds);
    sendProviderError(response, family, kind, message, headers, context.retryAfterSeconds);
    return;
  }
  const dimensions = embeddingRequest.dimensions ?? context.embeddingDimensions;
  const inputTokens = embeddingRequest.input.reduce((sum, text) => sum + countTextTokens(text), 0);
  const result: EmbeddingResult = { model, embeddings: embeddingRequest.input.map((text) => embedText(text, dimensions)), usage: { inputTokens } };
  const snapshot = context.rateLimits.record(`${family}:${model}`, inputTokens);
  sendJson(response, 200, embeddingFormats[family].encodeResult(result, embeddingRequest), { ...headers, ...rateLimitHeaders(family, snapshot) });
};
