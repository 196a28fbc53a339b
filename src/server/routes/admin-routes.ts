import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Secret } from '../../core/secret.ts';
import { GatewayError } from '../../core/errors/index.ts';
import { parseRequestBody } from '../../formats/shared/parse-with-schema.ts';
import type { WireFormat } from '../../formats/wire-format.ts';
import type { Gateway } from '../../gateway/create-gateway.ts';
import { keyLimitsSchema } from '../../stages/admission/key-limits-schema.ts';
import { prioritySchema } from '../../stages/admission/request-priority.ts';
import type { ApiKeyStore, VirtualKey } from '../../stores/contracts.ts';
import { sendError } from '../error-response.ts';
import { parseJsonBody } from '../parse-json-body.ts';

export const createKeyBodySchema = z.strictObject({
  name: z.string().min(1).max(200),
  models: z.array(z.string().min(1)).min(1).default(['*']),
  team: z.string().min(1).max(200).optional(),
  /** ISO 8601 time or epoch milliseconds. */
  expiresAt: z.union([z.iso.datetime({ offset: true }), z.number().int().positive()]).optional(),
  /** Over the config's `keys.defaultLimits`, field by field. */
  limits: keyLimitsSchema.optional(),
  priority: prioritySchema.optional(),
});

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares in constant time (over digests, so lengths leak nothing either). */
export const tokenMatches = (presented: string, expected: Secret): boolean => timingSafeEqual(digest(presented), digest(expected.reveal()));

export const publicKey = (key: VirtualKey) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  models: key.models,
  team: key.team ?? null,
  limits: key.limits ?? null,
  priority: key.priority ?? null,
  created_at: new Date(key.createdAt).toISOString(),
  expires_at: key.expiresAt === undefined ? null : new Date(key.expiresAt).toISOString(),
  revoked_at: key.revokedAt === undefined ? null : new Date(key.revokedAt).toISOString(),
});

/**
 * The `onRequest` hook every `/admin` route uses: `Authorization: Bearer <server.adminToken>`, compared in
 * constant time. Without a configured token it refuses every call: there is no default password.
 */
export const createAdminGuard = (adminToken: () => Secret | undefined) => async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  const token = adminToken();
  if (token === undefined) {
    throw new GatewayError('admin_unauthorized', 'The admin API is disabled: set server.adminToken in the config.');
  }
  if (!hasAdminBearer(request, token)) {
    throw new GatewayError('admin_unauthorized', 'Send the admin token as "Authorization: Bearer <token>".');
  }
  reply.header('cache-control', 'no-store');
};

/** The presented bearer token is the admin token (false when none is configured). */
export const hasAdminBearer = (request: FastifyRequest, adminToken: Secret | undefined): boolean => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return adminToken !== undefined && match?.[1] !== undefined && tokenMatches(match[1], adminToken);
};

/** The admin API under `/admin`, guarded by `server.adminToken` (see `createAdminGuard`). */
export const registerAdminRoutes = (app: FastifyInstance, gateway: Gateway, keys: ApiKeyStore, errorFormat: WireFormat): void => {
  const guard = createAdminGuard(() => gateway.config().server.adminToken);

  app.register(async (admin) => {
    admin.addHook('onRequest', guard);
    admin.setErrorHandler((error, request, reply) => sendError(reply, errorFormat, error, { 'x-request-id': request.id }));

    admin.get('/admin/keys', async () => ({ object: 'list', data: (await keys.list()).map(publicKey) }));

    // Circuit breakers of every deployment seen, as the shared store holds them (so all replicas agree).
    admin.get('/admin/circuits', async () => ({ object: 'circuits', data: await gateway.reliability().circuits() }));

    // What this process has learned: rate limits per deployment and latency averages.
    admin.get('/admin/deployments', async () => ({ object: 'deployments', ...gateway.reliability().deployments() }));

    admin.post('/admin/keys', async (request, reply) => {
      const body = parseRequestBody(createKeyBodySchema, parseJsonBody(request.headers['content-type'], request.body));
      const input = {
        name: body.name,
        models: body.models,
        ...(body.team === undefined ? {} : { team: body.team }),
        ...(body.limits === undefined ? {} : { limits: body.limits }),
        ...(body.priority === undefined ? {} : { priority: body.priority }),
      };
      const expiresAt = typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : body.expiresAt;
      const { key, secret } = await keys.create(expiresAt === undefined ? input : { ...input, expiresAt });
      return reply.code(201).send({ ...publicKey(key), key: secret });
    });

    admin.delete<{ Params: { id: string } }>('/admin/keys/:id', async (request) => {
      const revoked = await keys.revoke(request.params.id);
      if (!revoked) throw new GatewayError('not_found', `No key with id "${request.params.id}".`);
      gateway.authenticator.forget(request.params.id);
      const key = await keys.get(request.params.id);
      return key === undefined ? { id: request.params.id, revoked: true } : publicKey(key);
    });
  });
};
