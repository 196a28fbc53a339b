import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../core/errors/index.ts';
import { parseRequestBody } from '../../formats/shared/parse-with-schema.ts';
import type { WireFormat } from '../../formats/wire-format.ts';
import type { Gateway } from '../../gateway/create-gateway.ts';
import {
  maxFeedbackCommentLength,
  maxFeedbackRequestIdLength,
  maxFeedbackScore,
  minFeedbackScore,
  type FeedbackEntry,
  type FeedbackStore,
  type RequestOwnershipCheck,
} from '../../stores/feedback-contracts.ts';
import { sendError } from '../error-response.ts';
import { parseJsonBody } from '../parse-json-body.ts';

export const feedbackBodySchema = z.strictObject({
  request_id: z.string().min(1).max(maxFeedbackRequestIdLength),
  score: z.number().min(minFeedbackScore).max(maxFeedbackScore),
  comment: z.string().max(maxFeedbackCommentLength).optional(),
});

export interface FeedbackRouteOptions {
  gateway: Gateway;
  store: FeedbackStore;
  ownsRequest: RequestOwnershipCheck;
  errorFormat: WireFormat;
  now?: () => number;
}

const toResponseBody = (entry: FeedbackEntry) => ({
  request_id: entry.requestId,
  score: entry.score,
  comment: entry.comment ?? null,
  created_at: new Date(entry.createdAt).toISOString(),
});

/**
 * `POST /v1/feedback`: a caller's score (0 worst to 1 best) and optional comment on one of its own
 * requests. Comments may hold personal data, so nothing here logs the body.
 */
export const registerFeedbackRoute = (app: FastifyInstance, { gateway, store, ownsRequest, errorFormat, now = Date.now }: FeedbackRouteOptions): void => {
  app.post('/v1/feedback', async (request, reply) => {
    try {
      // Authenticate first: an anonymous caller learns nothing about the body or the log.
      const principal = await gateway.authenticator.authenticate(request.headers);
      const body = parseRequestBody(feedbackBodySchema, parseJsonBody(request.headers['content-type'], request.body));
      if (!(await ownsRequest(body.request_id, principal.keyId))) {
        throw new GatewayError('not_found', 'No request with that id was made with this key.', { param: 'request_id' });
      }
      const entry: FeedbackEntry = { requestId: body.request_id, keyId: principal.keyId, score: body.score, createdAt: now() };
      if (body.comment !== undefined) entry.comment = body.comment;
      await store.record(entry);
      return reply.code(201).header('x-request-id', request.id).send(toResponseBody(entry));
    } catch (error) {
      return sendError(reply, errorFormat, error, { 'x-request-id': request.id });
    }
  });
};
