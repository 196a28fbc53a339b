import type { FastifyInstance } from 'fastify';
import type { WireFormat } from '../../formats/wire-format.ts';
import type { Gateway } from '../../gateway/create-gateway.ts';
import type { Route } from '../../routing/model-router.ts';
import { sendError } from '../error-response.ts';

/** Bulwark's start time stands in for the models' creation time, which aliases do not have. */
const created = Math.floor(Date.now() / 1000);

const openaiList = (routes: Route[]) => ({
  object: 'list',
  data: routes.map((route) => ({ id: route.alias, object: 'model', created, owned_by: 'bulwark' })),
});

// https://docs.anthropic.com/en/api/models-list
const anthropicList = (routes: Route[]) => {
  const createdAt = new Date(created * 1000).toISOString();
  const data = routes.map((route) => ({ type: 'model', id: route.alias, display_name: route.alias, created_at: createdAt }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
};

/**
 * `GET /v1/models`: the models the caller's key may use. Anthropic's SDK sends `anthropic-version`, and
 * gets Anthropic's list shape; everyone else gets OpenAI's.
 */
export const registerModelsRoute = (app: FastifyInstance, gateway: Gateway, openaiFormat: WireFormat, anthropicFormat: WireFormat): void => {
  app.get('/v1/models', async (request, reply) => {
    const anthropic = request.headers['anthropic-version'] !== undefined;
    try {
      const routes = await gateway.listModels(request.headers);
      return reply.header('x-request-id', request.id).send(anthropic ? anthropicList(routes) : openaiList(routes));
    } catch (error) {
      return sendError(reply, anthropic ? anthropicFormat : openaiFormat, error, { 'x-request-id': request.id });
    }
  });
};
