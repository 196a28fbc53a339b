import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../core/errors/index.ts';
import type { Secret } from '../../core/secret.ts';
import type { DashboardData } from '../../dashboard/data/dashboard-data.ts';
import { dashboardRanges } from '../../dashboard/data/dashboard-range.ts';
import { dashboardSessionCookie, dashboardSessionSeconds, issueDashboardSession, readCookie, verifyDashboardSession } from '../../dashboard/data/dashboard-session.ts';
import type { LiveTail } from '../../dashboard/data/live-tail.ts';
import { dashboardContentSecurityPolicy, type DashboardAssets } from '../../dashboard/load-dashboard-assets.ts';
import { openaiChatFormat } from '../../formats/openai-chat/index.ts';
import { parseRequestBody } from '../../formats/shared/parse-with-schema.ts';
import { sendError } from '../error-response.ts';
import { parseJsonBody } from '../parse-json-body.ts';
import { hasAdminBearer, tokenMatches } from './admin-routes.ts';
import { createLoginThrottle } from './login-throttle.ts';

export interface DashboardRoutesOptions {
  adminToken: () => Secret | undefined;
  data: DashboardData;
  liveTail: LiveTail;
  /** URL path → file (`/dashboard/`, `/dashboard/assets/...`); loaded on the first visit, then kept. */
  assets: () => Promise<DashboardAssets>;
  now?: () => number;
}

const loginBodySchema = z.strictObject({ token: z.string().min(1).max(1_000) });
const rangeQuery = (fallback: (typeof dashboardRanges)[number]) => z.strictObject({ range: z.enum(dashboardRanges).default(fallback) });
const pingMs = 15_000;
/** A browser that stops reading is dropped once this much is waiting for it. */
const maxBufferedBytes = 1 << 20;

const securityHeaders = (reply: FastifyReply, contentSecurityPolicy: string): FastifyReply =>
  reply.headers({
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });

const sessionCookie = (value: string, maxAgeSeconds: number, secure: boolean): string =>
  `${dashboardSessionCookie}=${value}; Path=/dashboard; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;

/**
 * The dashboard (docs/dashboard.md): its page and assets (public: they hold no data), a login that
 * trades the admin token for a session cookie, and the read-only JSON API and live tail behind it. The
 * API also takes the admin token as a bearer token, for scripts.
 */
export const registerDashboardRoutes = (app: FastifyInstance, options: DashboardRoutesOptions): void => {
  const now = options.now ?? Date.now;
  const throttle = createLoginThrottle({ now });

  let assets: Promise<DashboardAssets> | undefined;
  const sendAsset = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
    if (assets === undefined) {
      // A failed load is not kept: the next visit tries again.
      assets = options.assets();
      assets.catch(() => (assets = undefined));
    }
    const asset = (await assets).get(path);
    if (asset === undefined) throw new GatewayError('route_not_found', `No dashboard file at ${path}.`);
    securityHeaders(reply, dashboardContentSecurityPolicy).header('etag', asset.etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  };

  app.register(async (dashboard) => {
    dashboard.setErrorHandler((error, request, reply) => sendError(reply, openaiChatFormat, error, { 'x-request-id': request.id }));

    dashboard.get('/dashboard', async (_request, reply) => reply.redirect('/dashboard/', 302));
    dashboard.get('/dashboard/', async (request, reply) => sendAsset(request, reply, '/dashboard/'));
    dashboard.get('/dashboard/assets/*', async (request, reply) => sendAsset(request, reply, request.url.split('?')[0] ?? ''));

    dashboard.post('/dashboard/login', async (request, reply) => {
      const address = request.socket.remoteAddress ?? 'unknown';
      const wait = throttle.retryAfterSeconds(address);
      if (wait !== undefined) throw new GatewayError('too_many_login_attempts', 'Too many failed logins; wait before trying again.', { retryAfterSeconds: wait });
      const { token } = parseRequestBody(loginBodySchema, parseJsonBody(request.headers['content-type'], request.body));
      const adminToken = options.adminToken();
      if (adminToken === undefined) throw new GatewayError('admin_unauthorized', 'The dashboard is disabled: set server.adminToken in the config.');
      if (!tokenMatches(token, adminToken)) {
        throttle.recordFailure(address);
        throw new GatewayError('admin_unauthorized', 'That is not the admin token.');
      }
      throttle.recordSuccess(address);
      const secure = request.protocol === 'https';
      return reply.code(204).header('cache-control', 'no-store').header('set-cookie', sessionCookie(issueDashboardSession(adminToken, now()), dashboardSessionSeconds, secure)).send();
    });

    // Outside the guard: the page asks on load whether to show the login form, and a 401 there would
    // put an error in the browser's console on every first visit.
    dashboard.get('/dashboard/api/session', async (request, reply) => {
      const adminToken = options.adminToken();
      const session = readCookie(request.headers.cookie, dashboardSessionCookie);
      const authenticated = adminToken !== undefined && (verifyDashboardSession(adminToken, session, now()) || hasAdminBearer(request, adminToken));
      return reply.header('cache-control', 'no-store').send({ authenticated });
    });

    dashboard.post('/dashboard/logout', async (request, reply) =>
      reply.code(204).header('cache-control', 'no-store').header('set-cookie', sessionCookie('', 0, request.protocol === 'https')).send());

    dashboard.register(async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        const adminToken = options.adminToken();
        if (adminToken === undefined) throw new GatewayError('admin_unauthorized', 'The dashboard is disabled: set server.adminToken in the config.');
        const session = readCookie(request.headers.cookie, dashboardSessionCookie);
        if (!verifyDashboardSession(adminToken, session, now()) && !hasAdminBearer(request, adminToken)) {
          throw new GatewayError('admin_unauthorized', 'Log in to the dashboard with the admin token.');
        }
        reply.header('cache-control', 'no-store');
      });

      api.get('/dashboard/api/overview', async (request) => options.data.overview(parseRequestBody(rangeQuery('24h'), request.query).range));
      api.get('/dashboard/api/costs', async (request) => options.data.costs(parseRequestBody(rangeQuery('30d'), request.query).range));
      api.get('/dashboard/api/latency', async (request) => options.data.latency(parseRequestBody(rangeQuery('24h'), request.query).range));
      api.get('/dashboard/api/quality', async (request) => options.data.quality(parseRequestBody(rangeQuery('30d'), request.query).range));
      api.get('/dashboard/api/alerts', async () => options.data.alerts());
      api.get('/dashboard/api/providers', async () => options.data.providers());
      api.get('/dashboard/api/keys', async () => options.data.keys());
      api.get('/dashboard/api/live', async (request, reply) => streamLiveTail(request, reply, options.liveTail));
    });
  });
};

/** Server-sent events: the backlog, then each logged request, with a comment now and then to keep proxies from timing out. */
const streamLiveTail = async (request: FastifyRequest, reply: FastifyReply, liveTail: LiveTail): Promise<void> => {
  const response = reply.raw;
  const send = (event: string, data: unknown): void => {
    if (response.writableLength > maxBufferedBytes) {
      response.destroy();
      return;
    }
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const subscription = await liveTail.subscribe((rows) => {
    for (const row of rows) send('request', row);
  });
  reply.hijack();
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
    'x-request-id': request.id,
  });
  send('backlog', subscription.backlog);
  const ping = setInterval(() => response.write(': ping\n\n'), pingMs);
  ping.unref();
  response.once('close', () => {
    clearInterval(ping);
    subscription.unsubscribe();
  });
};
