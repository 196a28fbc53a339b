import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../core/errors/index.ts';
import { parseRequestBody } from '../../formats/shared/parse-with-schema.ts';
import type { WireFormat } from '../../formats/wire-format.ts';
import { analyticsGroupings, rollupGroupings, type AnalyticsFilter } from '../../stores/request-analytics/analytics-query.ts';
import { parseTimeBound } from '../../stores/request-analytics/parse-time-bound.ts';
import type { AnalyticsReader } from '../../stores/request-analytics/analytics-queries.ts';
import { maxAnalyticsRequestsLimit } from '../../stores/request-analytics/request-analytics.ts';
import { sendError } from '../error-response.ts';

export interface AnalyticsRoutesOptions {
  analytics: AnalyticsReader;
  /** The admin API's token check (`createAdminGuard`). */
  guard: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  errorFormat: WireFormat;
  now?: () => number;
}

const text = z.string().min(1).max(500);
const timeBound = z.string().min(1).max(64);

/** Query parameters shared by every analytics endpoint. Unknown parameters are refused, not ignored. */
const filterShape = {
  since: timeBound.optional(),
  until: timeBound.optional(),
  key: text.optional(),
  team: text.optional(),
  endUser: text.optional(),
  model: text.optional(),
  provider: text.optional(),
  endpoint: text.optional(),
  /** `429` or a class, `5xx`. */
  status: z.string().regex(/^([1-5]\d\d|[1-5]xx)$/, 'expected a status such as 429 or a class such as 5xx').optional(),
};

const summaryQuerySchema = z.strictObject({ ...filterShape, groupBy: z.enum(analyticsGroupings).optional() });
const dailyQuerySchema = z.strictObject({ ...filterShape, groupBy: z.enum(rollupGroupings).optional() });
const requestsQuerySchema = z.strictObject({
  ...filterShape,
  limit: z.string().regex(/^\d{1,4}$/, 'expected an integer').transform(Number)
    .pipe(z.number().int().min(1).max(maxAnalyticsRequestsLimit)).default(100),
});

type FilterQuery = z.output<typeof summaryQuerySchema>;

const toTime = (field: 'since' | 'until', value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined;
  const time = parseTimeBound(value, now);
  if (time === undefined) {
    throw new GatewayError('invalid_request', `${field}: expected a duration (24h), epoch milliseconds or an ISO 8601 time`, { param: field });
  }
  return time;
};

/** The validated query as a store filter; only fields that were given are set. */
export const toAnalyticsFilter = (query: FilterQuery, now: number): AnalyticsFilter => {
  const entries = {
    since: toTime('since', query.since, now),
    until: toTime('until', query.until, now),
    keyId: query.key,
    team: query.team,
    endUser: query.endUser,
    model: query.model,
    provider: query.provider,
    endpoint: query.endpoint,
    ...(query.status === undefined ? {} : query.status.endsWith('xx') ? { statusClass: Number(query.status[0]) } : { status: Number(query.status) }),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
};

/**
 * `GET /admin/analytics/summary|daily|requests`: the request log's figures for the admin token holder.
 * See docs/analytics.md for parameters and the percentile definition.
 */
export const registerAnalyticsRoutes = (app: FastifyInstance, options: AnalyticsRoutesOptions): void => {
  const now = options.now ?? Date.now;
  app.register(async (admin) => {
    admin.addHook('onRequest', options.guard);
    admin.setErrorHandler((error, request, reply) => sendError(reply, options.errorFormat, error, { 'x-request-id': request.id }));

    admin.get('/admin/analytics/summary', async (request) => {
      const query = parseRequestBody(summaryQuerySchema, request.query);
      const data = await options.analytics.summary(toAnalyticsFilter(query, now()), query.groupBy);
      return { object: 'analytics.summary', groupBy: query.groupBy ?? null, data };
    });

    admin.get('/admin/analytics/daily', async (request) => {
      const query = parseRequestBody(dailyQuerySchema, request.query);
      const filter = toAnalyticsFilter(query, now());
      if (filter.endUser !== undefined || filter.status !== undefined) {
        throw new GatewayError('invalid_request', 'The daily roll-up keeps no end user or exact status: filter by a status class (5xx) or use /admin/analytics/summary?groupBy=day.');
      }
      return { object: 'analytics.daily', groupBy: query.groupBy ?? null, data: await options.analytics.daily(filter, query.groupBy) };
    });

    admin.get('/admin/analytics/requests', async (request) => {
      const query = parseRequestBody(requestsQuerySchema, request.query);
      return { object: 'list', data: await options.analytics.requests(toAnalyticsFilter(query, now()), query.limit) };
    });
  });
};
