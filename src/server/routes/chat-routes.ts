import type { FastifyInstance } from 'fastify';
import type { WireFormat } from '../../formats/wire-format.ts';
import type { Gateway } from '../../gateway/create-gateway.ts';
import { CallFailure } from '../../gateway/handle-chat.ts';
import { sendError } from '../error-response.ts';
import { toIncomingCall } from '../to-incoming-call.ts';
import { writeEventStream } from '../write-stream.ts';

const streamHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

/** A chat endpoint speaking one client format: OpenAI at /v1/chat/completions, Anthropic at /v1/messages. */
export const registerChatRoute = (app: FastifyInstance, gateway: Gateway, path: string, format: WireFormat): void => {
  app.post(path, async (request, reply) => {
    const call = toIncomingCall(request, reply, path);
    try {
      const response = await gateway.handleChat(format, call);
      if (response.type === 'result') {
        return reply.code(200).headers(response.headers).header('content-type', 'application/json').send(JSON.stringify(format.encodeResult(response.result)));
      }
      reply.hijack();
      reply.raw.writeHead(200, { ...streamHeaders, ...response.headers });
      await writeEventStream(reply.raw, response.events, format.createStreamEncoder(response.request));
      return reply;
    } catch (thrown) {
      if (thrown instanceof CallFailure) return sendError(reply, format, thrown.error, thrown.headers);
      return sendError(reply, format, thrown, { 'x-request-id': request.id });
    }
  });
};
