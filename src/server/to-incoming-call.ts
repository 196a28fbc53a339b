import type { FastifyReply, FastifyRequest } from 'fastify';
import { toGatewayError } from '../core/errors/index.ts';
import type { IncomingCall } from '../gateway/gateway-runtime.ts';
import { parseJsonBody } from './parse-json-body.ts';
import { signalForResponse } from './request-signal.ts';

/**
 * What the gateway needs of an HTTP request. A body that cannot be parsed travels as `bodyError`, so
 * the gateway records the call like any other before it is refused.
 */
export const toIncomingCall = (request: FastifyRequest, reply: FastifyReply, endpoint: string): IncomingCall => {
  const call: IncomingCall = { requestId: request.id, endpoint, headers: request.headers, body: undefined, signal: signalForResponse(reply.raw) };
  try {
    call.body = parseJsonBody(request.headers['content-type'], request.body);
  } catch (error) {
    call.bodyError = toGatewayError(error);
  }
  return call;
};
