import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * `GET /healthz`: the process is alive. `GET /readyz`: it can serve (storage answers, not shutting
 * down); load balancers take a replica out of rotation while it says 503.
 */
export const registerHealthRoutes = (app: FastifyInstance, checks: readonly ReadinessCheck[], isShuttingDown: () => boolean): void => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (isShuttingDown()) return reply.code(503).send({ status: 'shutting_down' });
    const failures: Record<string, string> = {};
    await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await check();
        } catch (error) {
          failures[name] = error instanceof Error ? error.message : 'failed';
        }
      }),
    );
    if (Object.keys(failures).length > 0) return reply.code(503).send({ status: 'not_ready', failures });
    return { status: 'ready' };
  });
};
