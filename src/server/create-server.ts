import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { GatewayError } from '../core/errors/index.ts';
import { anthropicMessagesFormat } from '../formats/anthropic-messages/index.ts';
import { openaiChatFormat } from '../formats/openai-chat/index.ts';
import { openaiEmbeddingsFormat } from '../formats/openai-embeddings/index.ts';
import type { Gateway } from '../gateway/create-gateway.ts';
import type { ApiKeyStore } from '../stores/contracts.ts';
import { fromFrameworkError, sendError } from './error-response.ts';
import type { AnalyticsReader } from '../stores/request-analytics/analytics-queries.ts';
import { createAdminGuard, registerAdminRoutes } from './routes/admin-routes.ts';
import { registerAnalyticsRoutes } from './routes/analytics-routes.ts';
import { registerChatRoute } from './routes/chat-routes.ts';
import { registerDashboardRoutes, type DashboardRoutesOptions } from './routes/dashboard-routes.ts';
import { registerEmbeddingsRoute } from './routes/embeddings-route.ts';
import { registerFeedbackRoute } from './routes/feedback-route.ts';
import type { FeedbackStore, RequestOwnershipCheck } from '../stores/feedback-contracts.ts';
import { registerHealthRoutes, type ReadinessCheck } from './routes/health-routes.ts';
import { registerMetricsRoute, type MetricsSource } from './routes/metrics-route.ts';
import { registerModelsRoute } from './routes/models-route.ts';

export interface ServerOptions {
  gateway: Gateway;
  keys: ApiKeyStore;
  bodyLimitBytes: number;
  readinessChecks?: readonly ReadinessCheck[];
  isShuttingDown?: () => boolean;
  /** Serves `GET /metrics` when given. */
  metrics?: MetricsSource;
  /** Serves `GET /admin/analytics/*` when given. */
  analytics?: AnalyticsReader;
  /** Serves `/dashboard` when given. */
  dashboard?: Omit<DashboardRoutesOptions, 'adminToken'>;
  /** Serves `POST /v1/feedback` when given. */
  feedback?: { store: FeedbackStore; ownsRequest: RequestOwnershipCheck };
}

const acceptedRequestId = /^[\w.:-]{1,128}$/;

/** Random bytes are drawn in blocks: one `randomBytes` call per 512 ids instead of one per request. */
const idBytes = 12;
const idBlockSize = idBytes * 512;
let idBlock = Buffer.alloc(0);
let idOffset = 0;

const newRequestId = (): string => {
  if (idOffset + idBytes > idBlock.length) {
    idBlock = randomBytes(idBlockSize);
    idOffset = 0;
  }
  const id = idBlock.toString('base64url', idOffset, idOffset + idBytes);
  idOffset += idBytes;
  return `req_${id}`;
};

/** A caller's own request id when it is sane, else a new one. */
const requestIdFor = (header: string | string[] | undefined): string =>
  typeof header === 'string' && acceptedRequestId.test(header) ? header : newRequestId();

/** Anthropic's path speaks Anthropic errors; every other path OpenAI's. */
const formatForPath = (url: string) => (url.startsWith('/v1/messages') ? anthropicMessagesFormat : openaiChatFormat);

/** The HTTP edge: the only module that knows the framework. */
export const createServer = (options: ServerOptions): FastifyInstance => {
  const app = Fastify({
    bodyLimit: options.bodyLimitBytes,
    logger: false,
    genReqId: (request) => requestIdFor(request.headers['x-request-id']),
    // Keep-alive connections from SDKs are long-lived; their idle timeout is the caller's business.
    keepAliveTimeout: 75_000,
    return503OnClosing: true,
  });

  // Bodies arrive as raw bytes; `parseJsonBody` checks type, UTF-8 and JSON so each failure gets the
  // caller's error format.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => sendError(reply, formatForPath(request.url), fromFrameworkError(error), { 'x-request-id': request.id }));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, formatForPath(request.url), new GatewayError('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}.`), { 'x-request-id': request.id }),
  );

  registerChatRoute(app, options.gateway, '/v1/chat/completions', openaiChatFormat);
  registerChatRoute(app, options.gateway, '/v1/messages', anthropicMessagesFormat);
  registerEmbeddingsRoute(app, options.gateway, openaiEmbeddingsFormat, openaiChatFormat);
  registerModelsRoute(app, options.gateway, openaiChatFormat, anthropicMessagesFormat);
  registerHealthRoutes(app, options.readinessChecks ?? [], options.isShuttingDown ?? (() => false));
  registerAdminRoutes(app, options.gateway, options.keys, openaiChatFormat);
  if (options.feedback !== undefined) registerFeedbackRoute(app, { gateway: options.gateway, ...options.feedback, errorFormat: openaiChatFormat });
  if (options.metrics !== undefined) registerMetricsRoute(app, options.gateway, options.metrics);
  if (options.analytics !== undefined) {
    const guard = createAdminGuard(() => options.gateway.config().server.adminToken);
    registerAnalyticsRoutes(app, { analytics: options.analytics, guard, errorFormat: openaiChatFormat });
  }
  if (options.dashboard !== undefined) registerDashboardRoutes(app, { ...options.dashboard, adminToken: () => options.gateway.config().server.adminToken });
  return app;
};
