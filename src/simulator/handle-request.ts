import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleChat } from './handle-chat.ts';
import { handleControl } from './handle-control.ts';
import { handleEmbeddings } from './handle-embeddings.ts';
import { handleModels } from './handle-models.ts';
import { matchRoute, type SimulatorRoute } from './match-route.ts';
import { sendProviderError } from './send-response.ts';
import type { SimulatorContext } from './simulator-context.ts';

const dispatch = async (context: SimulatorContext, route: SimulatorRoute, url: URL, request: IncomingMessage, response: ServerResponse): Promise<void> => {
  switch (route.kind) {
    case 'chat': return handleChat(context, route, url, request, response);
    case 'embeddings': return handleEmbeddings(context, route, url, request, response);
    case 'models': return handleModels(context, url, request, response);
    case 'control': return handleControl(context, route, request, response);
    case 'not-found': return sendProviderError(response, route.family, 'not-found', route.message);
  }
};

/** The simulator's request listener: routes, counts, and turns a fault of its own into a 500. */
export const handleRequest = (context: SimulatorContext, request: IncomingMessage, response: ServerResponse): void => {
  const url = new URL(request.url ?? '/', 'http://simulator');
  const route = matchRoute(request.method ?? 'GET', url);
  context.stats.route(route.name);
  response.once('finish', () => context.stats.status(response.statusCode));
  dispatch(context, route, url, request, response).catch((error: unknown) => {
    const family = route.kind === 'chat' || route.kind === 'embeddings' || route.kind === 'not-found' ? route.family : 'openai';
    const message = `Simulator fault: ${error instanceof Error ? error.message : String(error)}`;
    if (!response.headersSent) sendProviderError(response, family, 'server-error', message);
    else response.destroy();
  });
};
