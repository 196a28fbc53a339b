import type { FastifyInstance } from 'fastify';
import type { EmbeddingWireFormat, WireFormat } from '../../formats/wire-format.ts';
import type { Gateway } from '../../gateway/create-gateway.ts';
import { CallFailure } from '../../gateway/handle-chat.ts';
import { sendError } from '../error-response.ts';
import { toIncomingCall } from '../to-incoming-call.ts';

/** `POST /v1/embeddings`, OpenAI's format (the only client embeddings API in common use). */
export const registerEmbeddingsRoute = (app: FastifyInstance, gateway: Gateway, format: EmbeddingWireFormat, errorFormat: WireFormat): void => {
  app.post('/v1/embeddings', async (request, reply) => {
    try {
      const response = await gateway.handleEmbeddings(format, toIncomingCall(request, reply, '/v1/embeddings'));
      return reply.code(200).headers(response.headers).header('content-type', 'application/json').send(JSON.stringify(format.encodeResult(response.result, response.request)));
    } catch (thrown) {
      if (thrown instanceof CallFailure) return sendError(reply, errorFormat, thrown.error, thrown.headers);
      return sendError(reply, errorFormat, thrown, { 'x-request-id': request.id });
    }
  });
};
